package org.medledger.chaincode;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * One recorded proposal of the start-up warm-up ({@link Warmup}): its arguments, transaction id,
 * channel, timestamp, creator (a serialized identity with a synthetic certificate) and every
 * state read it made with the value read, as the embedded ledger answered them when the sample
 * was built (embedded-ledger's {@code WarmupFixtureTest}). Public data only: keys, ciphertexts,
 * proofs, signatures, a certificate.
 *
 * <p>{@link #stub} replays it: a {@link ChaincodeStub} answering the calls a transfer makes from
 * the recorded values, keeping writes in a map of its own. Any other call fails, so a contract
 * change that makes the sample read something new is noticed (the warm-up counts it as failed).
 */
record WarmupSample(List<byte[]> args, String txId, String channelId, Instant timestamp, byte[] creator,
    String mspId, Map<String, byte[]> reads) {
  private static final int MAX_ITEMS = 4096;
  private static final int MAX_BYTES = 1 << 20;

  WarmupSample {
    args = List.copyOf(args);
    reads = Collections.unmodifiableMap(new LinkedHashMap<>(reads));
  }

  /** The contract function, e.g. {@code money:transfer}. */
  String function() {
    return new String(args.get(0), StandardCharsets.UTF_8);
  }

  /** Argument {@code i} as text. */
  String stringArg(int i) {
    return new String(args.get(i), StandardCharsets.UTF_8);
  }

  /** A stub replaying this proposal; its writes (null value for a delete) go to {@code writes}. */
  ChaincodeStub stub(List<byte[]> proposalArgs, Map<String, byte[]> writes) {
    List<byte[]> argv = List.copyOf(proposalArgs);
    InvocationHandler h = (proxy, m, a) -> {
      switch (m.getName()) {
        case "getArgs":
          return argv;
        case "getStringArgs":
          return strings(argv, 0);
        case "getFunction":
          return argv.isEmpty() ? null : new String(argv.get(0), StandardCharsets.UTF_8);
        case "getParameters":
          return strings(argv, 1);
        case "getTxId":
          return txId;
        case "getChannelId":
          return channelId;
        case "getTxTimestamp":
          return timestamp;
        case "getCreator":
          return creator.clone();
        case "getMspId":
          return mspId;
        case "getTransient":
          return Map.of();
        case "getState": {
          String key = (String) a[0];
          if (writes.containsKey(key)) {
            return writes.get(key);
          }
          if (!reads.containsKey(key)) {
            throw new IllegalStateException("warm-up sample has no recorded read of this key");
          }
          byte[] v = reads.get(key);
          return v == null ? null : v.clone();
        }
        case "putState":
          writes.put((String) a[0], ((byte[]) a[1]).clone());
          return null;
        case "delState":
          writes.put((String) a[0], null);
          return null;
        case "setEvent":
          return null;
        case "createCompositeKey":
          return new CompositeKey((String) a[0], (String[]) a[1]);
        case "splitCompositeKey":
          return CompositeKey.parseCompositeKey((String) a[0]);
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == a[0];
        case "toString":
          return "WarmupSample.stub";
        default:
          if (m.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, m, a);
          }
          throw new UnsupportedOperationException("warm-up stub: " + m.getName());
      }
    };
    return (ChaincodeStub) Proxy.newProxyInstance(ChaincodeStub.class.getClassLoader(),
        new Class<?>[] {ChaincodeStub.class}, h);
  }

  private static List<String> strings(List<byte[]> argv, int from) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < argv.size(); i++) {
      out.add(new String(argv.get(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(args.size());
    for (byte[] a : args) {
      bytes(out, a);
    }
    out.writeUTF(txId);
    out.writeUTF(channelId);
    out.writeLong(timestamp.getEpochSecond());
    out.writeInt(timestamp.getNano());
    bytes(out, creator);
    out.writeUTF(mspId);
    out.writeInt(reads.size());
    for (Map.Entry<String, byte[]> e : reads.entrySet()) {
      bytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
      if (e.getValue() == null) {
        out.writeInt(-1);
      } else {
        bytes(out, e.getValue());
      }
    }
  }

  static WarmupSample read(DataInputStream in) throws IOException {
    int n = count(in.readInt());
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      args.add(bytes(in));
    }
    String txId = in.readUTF();
    String channelId = in.readUTF();
    Instant ts = Instant.ofEpochSecond(in.readLong(), in.readInt());
    byte[] creator = bytes(in);
    String mspId = in.readUTF();
    int r = count(in.readInt());
    Map<String, byte[]> reads = new LinkedHashMap<>();
    for (int i = 0; i < r; i++) {
      String key = new String(bytes(in), StandardCharsets.UTF_8);
      int len = in.readInt();
      reads.put(key, len == -1 ? null : bytes(in, len));
    }
    return new WarmupSample(args, txId, channelId, ts, creator, mspId, reads);
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    return bytes(in, in.readInt());
  }

  private static byte[] bytes(DataInputStream in, int len) throws IOException {
    if (len < 0 || len > MAX_BYTES) {
      throw new IOException("warm-up sample: bad length " + len);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  private static int count(int n) throws IOException {
    if (n < 0 || n > MAX_ITEMS) {
      throw new IOException("warm-up sample: bad count " + n);
    }
    return n;
  }
}
