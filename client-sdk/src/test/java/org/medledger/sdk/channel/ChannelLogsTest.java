package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;

/** ChannelLogs: a status read of a state log that changes nothing (docs/client-sdk.md §9). */
class ChannelLogsTest {
  @TempDir
  Path dir;
  private final AccountSecrets secretsA = TestChannels.secrets(Role.INSURER, TestChannels.seed());
  private final AccountSecrets secretsB = TestChannels.secrets(Role.HOSPITAL, TestChannels.seed());
  private final ChannelParams params = TestChannels.params(secretsA, secretsB, 700, 300, 4);

  private SignedState signed(long seq, long balA) {
    ChannelState s = new ChannelState(seq, balA, 1_000 - balA);
    byte[] m = params.signingBytes(s);
    return new SignedState(s, ChannelMessages.sign(m, secretsA.signingKey(SecretAccess.explicit())),
        ChannelMessages.sign(m, secretsB.signingKey(SecretAccess.explicit())));
  }

  @Test
  void readsParamsLatestStateAndCloseMarkAndLeavesATornTailInPlace() throws IOException {
    Path f = dir.resolve("c.log");
    try (StateLog log = StateLog.create(f, params, 64)) {
      assertEquals(0, ChannelLogs.read(f).latest().seq(), "a new log holds the opening state");
      assertEquals(700, ChannelLogs.read(f).latest().state().balanceA());
      log.append(List.of(StateLog.stateRecord(signed(1, 650)), StateLog.stateRecord(signed(2, 600)),
          StateLog.closeSignedRecord(2)));
    }
    byte[] extra = StateLog.stateRecord(signed(3, 550));
    byte[] full = Files.readAllBytes(f);
    byte[] torn = new byte[full.length + extra.length - 5];
    System.arraycopy(full, 0, torn, 0, full.length);
    System.arraycopy(extra, 0, torn, full.length, extra.length - 5);
    Files.write(f, torn);

    ChannelLogs.Summary s = ChannelLogs.read(f);
    assertEquals(params, s.params());
    assertEquals(signed(2, 600), s.latest());
    assertEquals(Optional.of(2L), s.closeSigned());
    assertArrayEquals(torn, Files.readAllBytes(f), "a status read writes nothing, not even the torn tail's cut");
  }

  @Test
  void aMissingOrForeignFileIsAnIoError() throws IOException {
    assertThrows(IOException.class, () -> ChannelLogs.read(dir.resolve("none.log")));
    Path junk = dir.resolve("junk.log");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    IOException e = assertThrows(IOException.class, () -> ChannelLogs.read(junk));
    assertTrue(e.getMessage() != null);
  }
}
