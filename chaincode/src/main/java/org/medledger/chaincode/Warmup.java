package org.medledger.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.shim.Chaincode;

/**
 * Brings the code a proposal runs to compiled form before the service accepts its first proposal
 * (docs/chaincode.md §1, docs/performance.md "Does the chaincode still compile at steady state?").
 * Built-in samples ({@value #RESOURCE}: a recorded {@code money:transfer} and a recorded
 * {@code money:transferBatch} of {@link #BATCH_SIZE}, see {@link WarmupSample}) are replayed
 * through the chaincode the service serves ({@link GuardedChaincode}: the entry check, Fabric's
 * contract router, the contract), on an in-memory stub holding the state the samples read. Each
 * round first encodes the proposal's arguments as the peer sends them (a {@code TRANSACTION}
 * {@link ChaincodeMessage} carrying a {@link ChaincodeInput}) and parses them back, so protobuf's
 * message code is warmed too; the shim's gRPC and Netty code is not (it needs a peer).
 *
 * <p>The samples are prebuilt public data (keys, ciphertexts, proofs, signatures, a synthetic
 * certificate); nothing here draws randomness or holds a secret. Their writes go to a map that is
 * dropped; the keys they put into {@link KeyCache} are cleared afterwards. So the warm-up changes
 * start-up time, never a result.
 */
final class Warmup {
  /** Rounds at start, each one single transfer; batches run every {@link #BATCH_EVERY}-th round. */
  static final int ROUNDS = 60;
  /** The sample batch is replayed in every this-many-th round (20 batches in 60 rounds). */
  static final int BATCH_EVERY = 3;
  /** Members of the sample batch (what {@code WarmupFixtureTest} records). */
  static final int BATCH_SIZE = 4;
  static final String RESOURCE = "warmup-samples.bin";
  private static final int MAGIC = 0x4d4c5731; // "MLW1"

  private Warmup() {}

  /** What a warm-up ran: proposals the chaincode answered with success, and those it did not. */
  record Counts(int transfers, int batches, int failed) {}

  /** Replays the built-in samples {@code rounds} times through {@code chaincode}. */
  static Counts run(int rounds, Chaincode chaincode) {
    return run(rounds, chaincode, samples());
  }

  static Counts run(int rounds, Chaincode chaincode, List<WarmupSample> samples) {
    int transfers = 0;
    int batches = 0;
    int failed = 0;
    try {
      for (int i = 0; i < rounds; i++) {
        for (WarmupSample s : samples) {
          boolean batch = s.function().equals("money:transferBatch");
          if (batch && i % BATCH_EVERY != 0) {
            continue;
          }
          if (replay(s, chaincode)) {
            if (batch) {
              batches++;
            } else {
              transfers++;
            }
          } else {
            failed++;
          }
        }
      }
    } finally {
      KeyCache.SHARED.clear();
    }
    return new Counts(transfers, batches, failed);
  }

  /** One proposal: its arguments through protobuf and back, then the chaincode on a fresh stub. */
  static boolean replay(WarmupSample s, Chaincode chaincode) {
    List<byte[]> args;
    try {
      args = throughProtobuf(s);
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
    Map<String, byte[]> writes = new HashMap<>();
    Chaincode.Response r;
    try {
      r = chaincode.invoke(s.stub(args, writes));
    } catch (RuntimeException e) {
      return false;
    }
    // A transfer that passed wrote (at least) the payer's balance and spent nonce.
    return r.getStatus() == Chaincode.Response.Status.SUCCESS && !writes.isEmpty();
  }

  private static List<byte[]> throughProtobuf(WarmupSample s) throws InvalidProtocolBufferException {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    for (byte[] a : s.args()) {
      input.addArgs(ByteString.copyFrom(a));
    }
    byte[] wire = ChaincodeMessage.newBuilder()
        .setType(ChaincodeMessage.Type.TRANSACTION)
        .setTxid(s.txId())
        .setChannelId(s.channelId())
        .setPayload(input.build().toByteString())
        .build()
        .toByteArray();
    ChaincodeMessage m = ChaincodeMessage.parseFrom(wire);
    List<byte[]> out = new ArrayList<>();
    for (ByteString b : ChaincodeInput.parseFrom(m.getPayload()).getArgsList()) {
      out.add(b.toByteArray());
    }
    return out;
  }

  /** The built-in samples, in order: the single transfer, then the batch. */
  static List<WarmupSample> samples() {
    try (InputStream raw = Warmup.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(raw));
      if (in.readInt() != MAGIC) {
        throw new IllegalStateException(RESOURCE + " is not a warm-up sample file");
      }
      int n = in.readInt();
      if (n < 1 || n > 16) {
        throw new IllegalStateException(RESOURCE + ": bad sample count " + n);
      }
      List<WarmupSample> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(WarmupSample.read(in));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** Writes {@code samples} in the format {@link #samples} reads (used to rebuild the resource). */
  static void write(java.io.DataOutputStream out, List<WarmupSample> samples) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(samples.size());
    for (WarmupSample s : samples) {
      s.write(out);
    }
  }
}
