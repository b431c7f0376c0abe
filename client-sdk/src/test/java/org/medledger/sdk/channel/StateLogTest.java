package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.Wire.Message;

/** The state log's recovery rules and the wire codec's strictness (docs/payment-channels.md §3.3, §6). */
class StateLogTest {
  @TempDir
  Path dir;
  private final AccountSecrets secretsA = TestChannels.secrets(Role.INSURER, TestChannels.seed());
  private final AccountSecrets secretsB = TestChannels.secrets(Role.HOSPITAL, TestChannels.seed());
  private final ChannelParams params = TestChannels.params(secretsA, secretsB, 500, 500, 4);

  private SignedState signed(long seq, long balA) {
    ChannelState s = new ChannelState(seq, balA, 1_000 - balA);
    byte[] m = params.signingBytes(s);
    return new SignedState(s, ChannelMessages.sign(m, secretsA.signingKey(SecretAccess.explicit())), ChannelMessages.sign(m, secretsB.signingKey(SecretAccess.explicit())));
  }

  private Path logWith(int states) throws IOException {
    Path f = dir.resolve("x.log");
    try (StateLog log = StateLog.create(f, params, 64)) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = 1; i <= states; i++) {
        batch.add(StateLog.stateRecord(signed(i, 500 - i % 400)));
      }
      log.append(batch);
    }
    return f;
  }

  @Test
  void recoversParametersStatesProposalsAndTheCloseMark() throws IOException {
    Path f = logWith(10);
    try (StateLog log = StateLog.open(f, 64).log()) {
      ChannelState p = new ChannelState(11, 480, 520);
      log.append(List.of(StateLog.proposalRecord(p, ChannelMessages.sign(params.signingBytes(p), secretsA.signingKey(SecretAccess.explicit()))),
          StateLog.closeSignedRecord(10)));
    }
    StateLog.Recovered r = StateLog.read(f);
    assertEquals(params, r.params());
    assertEquals(signed(10, 490), r.latest());
    assertTrue(params.verify(r.latest()));
    assertEquals(10, r.recent().size());
    assertEquals(Set.of(11L), r.proposals().keySet());
    assertEquals(10, r.closeSignedSeq());
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(f),
        "the log holds the salt key and plaintext balances: owner-only");
  }

  @Test
  void aTornTailIsTruncatedAndAppendsContinueAfterIt() throws IOException {
    Path f = logWith(5);
    byte[] full = Files.readAllBytes(f);
    byte[] extra = StateLog.stateRecord(signed(6, 494));
    byte[] torn = new byte[full.length + extra.length - 7];
    System.arraycopy(full, 0, torn, 0, full.length);
    System.arraycopy(extra, 0, torn, full.length, extra.length - 7);
    Files.write(f, torn);
    StateLog.Opened o = StateLog.open(f, 64);
    assertEquals(5, o.recovered().latest().seq(), "the unfinished record is dropped");
    assertEquals(full.length, Files.size(f), "and cut off the file");
    o.log().append(List.of(StateLog.stateRecord(signed(6, 494))));
    o.log().close();
    assertEquals(6, StateLog.read(f).latest().seq());
  }

  @Test
  void aBadRecordFollowedByMoreThanOneBatchIsCorruptionNotATornTail() throws IOException {
    Path f = logWith(8_000);
    byte[] all = Files.readAllBytes(f);
    all[200] ^= 1; // inside the first state record, far from the end
    Files.write(f, all);
    IOException e = assertThrows(IOException.class, () -> StateLog.open(f, 64));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    assertEquals(all.length, Files.size(f), "a corrupt log is left as it is");
  }

  @Test
  void compactionKeepsWhatRecoveryNeeds() throws IOException {
    Path f = logWith(200);
    StateLog.Opened o = StateLog.open(f, 64);
    long before = Files.size(f);
    ChannelState p = new ChannelState(201, 290, 710);
    StateLog.Proposal prop = new StateLog.Proposal(p, ChannelMessages.sign(params.signingBytes(p), secretsA.signingKey(SecretAccess.explicit())));
    o.log().compact(params, o.recovered().recent(), List.of(prop), -1);
    o.log().append(List.of(StateLog.closeSignedRecord(200)));
    o.log().close();
    assertTrue(Files.size(f) < before);
    StateLog.Recovered r = StateLog.read(f);
    assertEquals(signed(200, 300), r.latest());
    assertEquals(Set.of(201L), r.proposals().keySet());
    assertEquals(200, r.closeSignedSeq());
  }

  @Test
  void wireMessagesRoundTripAndDecodingIsStrict() throws IOException {
    SignedState s = signed(3, 497);
    List<Message> all = List.of(new Wire.Hello(params.channelId(), Side.B, new byte[32]), new Wire.Auth(new byte[64]),
        new Wire.Sync(7), new Wire.States(List.of(s, signed(4, 496))),
        new Wire.Propose(4, 496, 504, new long[] {-5, 9}, s.sigA()), new Wire.Accept(4, s.sigB()),
        new Wire.Refuse(4, "no"), new Wire.Request(-77, 10), new Wire.Reject(-77, "too much"),
        new Wire.CloseProposal(3, new byte[] {1, 2, 3}, s.sigA()), new Wire.CloseAccept(3, new byte[0], s.sigB()),
        new Wire.CloseRefuse(3, "busy"));
    for (Message m : all) {
      byte[] enc = Wire.encode(m);
      assertArrayEquals(enc, Wire.encode(Wire.decode(enc)), m.getClass().getSimpleName());
      byte[] longer = java.util.Arrays.copyOf(enc, enc.length + 1);
      assertThrows(IOException.class, () -> Wire.decode(longer), "trailing byte after " + m.getClass().getSimpleName());
      byte[] shorter = java.util.Arrays.copyOf(enc, enc.length - 1);
      assertThrows(IOException.class, () -> Wire.decode(shorter), "truncated " + m.getClass().getSimpleName());
    }
    byte[] sync = Wire.encode(new Wire.Sync(1));
    sync[1] = (byte) 0x80; // a negative sequence number
    assertThrows(IOException.class, () -> Wire.decode(sync));
    byte[] states = Wire.encode(new Wire.States(List.of()));
    states[1] = 0x7f; // claims far more states than the frame holds
    assertThrows(IOException.class, () -> Wire.decode(states));
    assertThrows(IOException.class, () -> Wire.decode(new byte[] {99}));
  }

  @Test
  void parametersSurviveTheirJsonAndSaltsDifferPerState() {
    assertEquals(params, ChannelParams.fromJson(params.toJson()));
    assertTrue(!java.util.Arrays.equals(params.salt(1), params.salt(2)));
    assertTrue(!params.toString().contains(java.util.Base64.getEncoder().encodeToString(params.salt(1))));
    assertEquals(Side.A, params.payer(new ChannelState(1, 499, 501)));
    assertEquals(Side.B, params.payer(new ChannelState(1, 501, 499)));
    assertEquals(null, params.payer(new ChannelState(1, 500, 500)));
  }
}
