package org.medledger.crypto.testing;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.record.SegmentLayout;

/**
 * Computes the known-answer vectors from a fixed seed (SHAKE256 of "medledger/kat/seed/v1"), so
 * that a change to any encoding, transcript rule or encryption formula shows up as a failing
 * vector. {@code main} rewrites src/test/resources/kat/vectors.json; tests recompute and compare.
 */
public final class KnownAnswers {
  private KnownAnswers() {}

  /** Deterministic bytes number {@code i} of the KAT seed stream. */
  public static byte[] seeded(String label, int i, int len) {
    SHAKEDigest d = new SHAKEDigest(256);
    byte[] s = ("medledger/kat/seed/v1/" + label + "/" + i).getBytes(StandardCharsets.UTF_8);
    d.update(s, 0, s.length);
    byte[] out = new byte[len];
    d.doFinal(out, 0, len);
    return out;
  }

  public static JsonObject compute() {
    HexFormat hex = HexFormat.of();
    JsonObject root = new JsonObject();
    Transcript t = new Transcript("medledger/kat");
    t.appendString("label", "value").appendLong("n", 42).appendInteger("big", BigInteger.TWO.pow(200));
    root.addProperty("transcript_challenge_128", t.challengeBits("c", 128).toString(16));
    root.addProperty("transcript_challenge_below", t.challengeBelow("d", BigInteger.valueOf(1_000_003)).toString());
    root.addProperty("pedersen_H", hex.formatHex(Secp256k1.encodePoint(Secp256k1.H)));
    PaillierPublicKey pk = TestKeys.key2048a().publicKey();
    JsonArray enc = new JsonArray();
    for (int i = 0; i < 3; i++) {
      BigInteger m = new BigInteger(1, seeded("m", i, 8));
      BigInteger rho = new BigInteger(1, seeded("rho", i, pk.rhoBits() / 8));
      JsonObject v = new JsonObject();
      v.addProperty("m", m.toString());
      v.addProperty("rho", rho.toString(16));
      v.addProperty("ciphertext", hex.formatHex(pk.encryptWith(m, rho).toBytes()));
      enc.add(v);
    }
    root.add("paillier_2048_a", enc);
    List<BigInteger> segs = SegmentLayout.split(seeded("record", 0, 300), "kat-record", 2048);
    JsonArray s = new JsonArray();
    for (BigInteger x : segs) {
      s.add(x.toString(16));
    }
    root.add("segments_2048", s);
    return root;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(compute()) + "\n");
  }
}
