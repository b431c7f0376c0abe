package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.protocol.ErrorCode;

/**
 * Adversarial review of the input hardening (review/inputs): weird JSON forms of otherwise valid,
 * signed requests; signed requests replayed to other functions and other channels; limits at the
 * boundary (bytes, not characters); page sizes and bookmarks; mutated transfer bundles. Every
 * proposal must be refused with a stable {@link ErrorCode} (payload = code, message "CODE: …"),
 * nothing written (height and nonces unchanged), and no unchecked exception may escape, through
 * the embedded dispatcher and through Fabric's router behind the entry check.
 */
class InputAttackTest {
  enum Path { EMBEDDED, FABRIC_ROUTER }

  private static final Map<Path, Channel> CHANNELS = new EnumMap<>(Path.class);
  private static final SecureRandom RND = new SecureRandom();

  @BeforeAll
  static void setUp() {
    CHANNELS.put(Path.EMBEDDED, new Channel().configured().withInstitutions());
    CHANNELS.put(Path.FABRIC_ROUTER, new Channel(new FabricRouter()).configured().withInstitutions());
  }

  // ------------------------------------------------------------------------------ the checks

  /** Submits; expects a refusal with a stable code (any, or {@code expected} if not null), and nothing written. */
  private static ErrorCode refused(Path path, Identity who, ErrorCode expected, String function, String... args) {
    Channel ch = CHANNELS.get(path);
    long height = ch.ledger.height();
    List<Long> nonces = nonces(ch);
    TxResult r = ch.submit(who, function, args); // an unchecked exception escaping fails the test here
    String what = path + " " + cut(function) + " " + cut(Arrays.toString(args));
    assertEquals(TxStatus.ENDORSEMENT_FAILURE, r.status(), what + ": " + cut(r.toString()));
    String payload = r.payload() == null ? "" : new String(r.payload(), StandardCharsets.UTF_8);
    ErrorCode code = Arrays.stream(ErrorCode.values()).filter(c -> c.name().equals(payload)).findFirst().orElse(null);
    assertTrue(code != null, what + ": refused without a stable code, payload '" + cut(payload) + "', message " + cut(r.message()));
    assertTrue(r.message().startsWith(code.name() + ": "), what + ": " + cut(r.message()));
    assertTrue(r.message().length() <= 512, what + ": echoes " + r.message().length() + " characters");
    if (expected != null) {
      assertEquals(expected, code, what + ": " + cut(r.message()));
    }
    assertEquals(height, ch.ledger.height(), what + ": a refused proposal must not be ordered");
    assertEquals(nonces, nonces(ch), what + ": a refused request must not consume a nonce");
    return code;
  }

  private static List<Long> nonces(Channel ch) {
    List<Long> out = new ArrayList<>();
    for (Actor a : List.of(ch.regulator, ch.insurer, ch.hospital)) {
      out.add(CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "accounts:getNonce", a.id)).get("next").getAsLong());
    }
    return out;
  }

  private static String cut(String s) {
    return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
  }

  // ------------------------------------------------------------------------------- the attacks

  /** A valid signed issue, then spelled in every odd JSON way the parser might let through. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void oddJsonFormsOfAValidSignedRequestAreRefused(Path path) {
    Channel ch = CHANNELS.get(path);
    Identity reg = ch.regulatorOrg;
    String s = ch.regulator.sign(ch.regulator.issueBody(ch.insurer, 1000));
    String to = "\"to\":\"" + ch.insurer.id + "\"";
    assertTrue(s.contains(to) && s.contains("\"amount\":1000"), s);
    List<String> forms = new ArrayList<>(List.of(
        "\uFEFF" + s, s + "\uFEFF", s + " ", s + "\n", s + "x", s + "{}", s + s, "[" + s + "]", s.substring(0, s.length() - 1),
        s.replace("\"amount\":1000", "\"amount\":1000,\"amount\":1000"),
        s.replace("\"amount\":1000", "\"amount\":1000,\"amount\":1001"),
        s.replace(to, to + "," + to),
        s.replace("{\"body\":", "{\"body\":{},\"body\":"),
        s.replace(to, "\"to\":\"\\u0000" + ch.insurer.id + "\""),
        s.replace(to, "\"to\":\"" + ch.insurer.id + "\u0000\""),
        s.replace(to, "\"to\":\"\\ud800" + ch.insurer.id + "\""),
        s.replace(to, "\"to\":\"\\ud83d\\ude00" + ch.insurer.id + "\""),
        s.replace(to, "\"to\":\"" + ch.insurer.id.replace("-", "\\u002d") + "\""),
        s.replace(to, "\"\\u0074o\":\"" + ch.insurer.id + "\""),
        s.replace(to, "\"to\":\"" + ch.insurer.id + "\\/\""),
        s.replace("\"amount\":1000", "\"amount\":\"1000\""),
        s.replace("\"amount\":1000", "\"amount\":[1000]"),
        s.replace("\"amount\":1000", "\"amount\":{\"v\":1000}"),
        s.replace("\"amount\":1000", "\"amount\":null"),
        s.replace("\"amount\":1000", "\"amount\":true"),
        s.replace("\"amount\":1000", "\"amount\":NaN"),
        s.replace("\"amount\":1000", "\"amount\":Infinity"),
        s.replace("\"amount\":1000", "\"amount\":0x3e8"),
        s.replace("\"amount\":1000", "\"amount\":+1000"),
        s.replace("\"amount\":1000", "\"amount\":1_000"),
        s.replace("\"amount\":1000", "\"amount\":1000,\"x\":[1e3]"),
        s.replace("\"amount\":1000", "\"amount\":1000,\"x\":{\"y\":[[-0]]}"),
        s.replace("\"amount\":1000", "\"amount\":1000,\"x\":99999999999999999999999"),
        s.replace("\"amount\":1000", "\"amount\":1000,\"x\":" + "[".repeat(17) + "]".repeat(17)),
        s.replace("\"amount\":1000", "\"amount\":1000,\"x\":" + "[".repeat(200_000) + "]".repeat(200_000)),
        s.replace("\"amount\":1000", "\"amount\":1000,\"x\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)),
        s.replace(":", " : "), s.replace("{", "{ "), s.replace("\"", "'"),
        "", " ", "{}", "null", "[]", "\"\"", "1", "{\"body\":null,\"signature\":null}",
        "{\"body\":" + s + ",\"signature\":\"AAAA\"}"));
    // Members reordered (not canonical order) with the same signature.
    JsonObject o = CanonicalJson.parseObject(s);
    forms.add("{\"signature\":" + CanonicalJson.toString(wrap(o.get("signature"))).replaceAll("^\\{\"v\":|\\}$", "") + ",\"body\":"
        + CanonicalJson.toString(o.getAsJsonObject("body")) + "}");
    for (String f : forms) {
      refused(path, reg, null, "money:issue", f);
    }
    // The canonical one is still accepted afterwards (so the refusals above were about form only).
    TxResult ok = ch.submit(reg, "money:issue", s);
    assertTrue(ok.isValid(), ok.toString());
    ch.regulator.nonce++;
    // And it cannot be replayed.
    refused(path, reg, ErrorCode.BAD_NONCE, "money:issue", s);
  }

  private static JsonObject wrap(com.google.gson.JsonElement e) {
    JsonObject o = new JsonObject();
    o.add("v", e);
    return o;
  }

  /** Signed bodies whose ids carry confusable, invisible or key-breaking characters. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void signedIdsWithConfusableOrKeyBreakingCharactersAreMalformed(Path path) {
    Channel ch = CHANNELS.get(path);
    String ins = ch.insurer.id;
    for (String bad : new String[] {"\u0000", ins + "\u0000", "\u0000" + ins, ins + "\u0001", ins + "\u007f",
        ins + "\u00a0", ins + "\u200b", "\u202e" + ins, ins + "\u2028", "\uFEFF" + ins, ins.replace('a', '\uff41'),
        ins.replace("-", "\u2010"), ins + "\uDBFF\uDFFF", ins + "\uDBFF\uDFFE", ins + "\uD83D\uDE00", ins + "\uDC00",
        ins + " ", " " + ins, "", ins + "/", ins + "\\", ins + "%00", ins.toUpperCase()}) {
      JsonObject issue = ch.regulator.issueBody(ch.insurer, 10);
      issue.addProperty("to", bad);
      ErrorCode c = refused(path, ch.regulatorOrg, null, "money:issue", ch.regulator.sign(issue));
      assertTrue(c == ErrorCode.MALFORMED_REQUEST || (c == ErrorCode.UNKNOWN_ACCOUNT && Ids.valid(bad)),
          "to=" + bad.codePoints().mapToObj(Integer::toHexString).toList() + ": " + c);
      JsonObject fold = ch.insurer.foldBody(List.of(bad));
      ErrorCode f = refused(path, ch.insurerOrg, null, "money:fold", ch.insurer.sign(fold));
      assertTrue(f == ErrorCode.MALFORMED_REQUEST || (f == ErrorCode.UNKNOWN_CREDIT && Ids.valid(bad)), "fold " + f);
    }
  }

  /** A signed request of one type submitted to every other request function, and to another channel. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void aSignedRequestReplayedToAnotherFunctionIsRefused(Path path) {
    Channel ch = CHANNELS.get(path);
    String issue = ch.regulator.sign(ch.regulator.issueBody(ch.insurer, 5));
    String fold = ch.insurer.sign(ch.insurer.foldBody(List.of()));
    for (String fn : MalformedInputTest.FUNCTIONS.keySet()) {
      String kinds = MalformedInputTest.FUNCTIONS.get(fn);
      if (!kinds.contains("R") || fn.equals("money:issue")) {
        continue;
      }
      for (Identity who : List.of(ch.regulatorOrg, ch.insurerOrg)) {
        String[] args = new String[kinds.length()];
        for (int i = 0; i < args.length; i++) {
          args[i] = switch (kinds.charAt(i)) {
            case 'R' -> who == ch.regulatorOrg ? issue : fold;
            case 'P' -> "10";
            default -> "";
          };
        }
        if (fn.equals("money:fold") && who == ch.insurerOrg) {
          continue; // the fold is of this function
        }
        ErrorCode c = refused(path, who, null, fn, args);
        assertEquals(ErrorCode.MALFORMED_REQUEST, c, fn);
      }
    }
    // The same body signed for another channel or chaincode.
    JsonObject body = ch.regulator.issueBody(ch.insurer, 5);
    refused(path, ch.regulatorOrg, ErrorCode.BAD_SIGNATURE, "money:issue", ch.regulator.sign(body, "otherchannel", "medledger"));
    refused(path, ch.regulatorOrg, ErrorCode.BAD_SIGNATURE, "money:issue", ch.regulator.sign(body, Actor.CHANNEL, "medledger2"));
    // Signed by one account, claimed by another.
    JsonObject stolen = ch.regulator.issueBody(ch.insurer, 5);
    stolen.addProperty("account", ch.hospital.id);
    stolen.addProperty("nonce", ch.hospital.nonce);
    refused(path, ch.hospitalOrg, null, "money:issue", ch.regulator.sign(stolen));
  }

  /** Nonces and amounts at and beyond the edges of a long. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void noncesAndAmountsAtTheEdgesAreRefusedWithACode(Path path) {
    Channel ch = CHANNELS.get(path);
    for (long n : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, ch.regulator.nonce + 1}) {
      JsonObject b = ch.regulator.issueBody(ch.insurer, 5);
      b.addProperty("nonce", n);
      refused(path, ch.regulatorOrg, null, "money:issue", ch.regulator.sign(b));
    }
    JsonObject str = ch.regulator.issueBody(ch.insurer, 5);
    str.addProperty("nonce", String.valueOf(ch.regulator.nonce));
    refused(path, ch.regulatorOrg, ErrorCode.MALFORMED_REQUEST, "money:issue", ch.regulator.sign(str));
    for (long a : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      refused(path, ch.regulatorOrg, null, "money:issue", ch.regulator.sign(ch.regulator.issueBody(ch.insurer, a)));
    }
  }

  /** Limits count bytes of UTF-8, on both paths, exactly at the boundary. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void limitsAreBytesExactlyAtTheBoundary(Path path) {
    Channel ch = CHANNELS.get(path);
    Identity who = ch.insurerOrg;
    refused(path, who, ErrorCode.UNKNOWN_ACCOUNT, "money:balance", "a".repeat(Ids.MAX_ID_BYTES));
    refused(path, who, ErrorCode.PAYLOAD_TOO_LARGE, "money:balance", "a".repeat(Ids.MAX_ID_BYTES + 1));
    refused(path, who, ErrorCode.MALFORMED_REQUEST, "money:balance", "é".repeat(64));
    refused(path, who, ErrorCode.PAYLOAD_TOO_LARGE, "money:balance", "é".repeat(65));
    int max = Requests.MAX_REQUEST_BYTES;
    refused(path, who, ErrorCode.MALFORMED_REQUEST, "money:fold", "a".repeat(max));
    refused(path, who, ErrorCode.PAYLOAD_TOO_LARGE, "money:fold", "a".repeat(max - 1) + "é");
    refused(path, who, ErrorCode.PAYLOAD_TOO_LARGE, "money:fold", "é".repeat(max / 2 + 1));
    refused(path, who, ErrorCode.MALFORMED_REQUEST, "money:fold", "é".repeat(max / 2));
    refused(path, who, ErrorCode.PAYLOAD_TOO_LARGE, "money:fold", "\uD83D\uDE00".repeat(max / 4 + 1));
    refused(path, who, ErrorCode.MALFORMED_REQUEST, "money:fold", "\uD83D\uDE00".repeat(max / 4));
    // A JSON string member inflated with escapes: short in bytes, long once decoded; still bounded.
    String fold = ch.insurer.sign(ch.insurer.foldBody(List.of("x")));
    refused(path, who, null, "money:fold", fold.replace("[\"x\"]", "[\"" + "\\u0061".repeat(max / 6 - 40) + "\"]"));
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void pageSizesAndBookmarksInOddFormsAreRefused(Path path) {
    Channel ch = CHANNELS.get(path);
    String id = ch.insurer.id;
    for (String p : new String[] {"1e1", "010", "+5", " 5", "5 ", "0", "101", "-1", "\u0665", "\uff15", "1.0", "", "5\u0000",
        "99999999999", "0x10", "1000"}) {
      refused(path, ch.insurerOrg, p.length() > 32 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_PAGE, "money:credits", id, p, "");
    }
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    for (String b : new String[] {"AA==", "=", "____", "+/+/", "A", url.encodeToString("x".getBytes(StandardCharsets.UTF_8)),
        url.encodeToString("x\u0000\uDBFF\uDFFF\u0000".getBytes(StandardCharsets.UTF_8)),
        url.encodeToString(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 0}),
        url.encodeToString(new byte[] {(byte) 0xC0, (byte) 0x80, 0}), "a".repeat(600), "QUFB\u0000"}) {
      refused(path, ch.insurerOrg, ErrorCode.BAD_BOOKMARK, "money:credits", id, "10", b);
    }
    refused(path, ch.insurerOrg, ErrorCode.PAYLOAD_TOO_LARGE, "money:credits", id, "10", "a".repeat(1025));
  }

  /** A valid transfer's bundle truncated, extended and bit-flipped, re-signed: a code, never an exception. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void mutatedTransferBundlesAreRefusedWithACode(Path path) {
    Channel ch = CHANNELS.get(path);
    if (ch.holdings(ch.insurer) < 100) {
      assertTrue(ch.issue(1000, ch.insurer).isValid());
    }
    JsonObject body = CanonicalJson.parseObject(ch.transferRequest(ch.insurer, ch.hospital, 7)).getAsJsonObject("body");
    byte[] bundle = Base64.getDecoder().decode(body.get("bundle").getAsString());
    List<byte[]> mutants = new ArrayList<>();
    for (int cut : new int[] {0, 1, 3, 4, 5, 8, 64, bundle.length / 2, bundle.length - 1}) {
      mutants.add(Arrays.copyOf(bundle, cut));
    }
    mutants.add(Arrays.copyOf(bundle, bundle.length + 1));
    byte[] twice = Arrays.copyOf(bundle, 2 * bundle.length);
    System.arraycopy(bundle, 0, twice, bundle.length, bundle.length);
    mutants.add(twice);
    for (int k = 0; k < 8; k++) { // header and length fields
      byte[] m = bundle.clone();
      m[k] ^= (byte) 0x80;
      mutants.add(m);
      byte[] ff = bundle.clone(); // all ones, or all zeros where the byte already is all ones
      ff[k] = (byte) (bundle[k] == (byte) 0xFF ? 0x00 : 0xFF);
      mutants.add(ff);
    }
    for (int k = 0; k < 12; k++) {
      byte[] m = bundle.clone();
      m[8 + RND.nextInt(bundle.length - 8)] ^= (byte) (1 << RND.nextInt(8));
      mutants.add(m);
    }
    byte[] zeros = new byte[bundle.length];
    System.arraycopy(bundle, 0, zeros, 0, 8);
    mutants.add(zeros);
    for (byte[] m : mutants) {
      // A "mutant" equal to the honest bundle is a valid transfer, not an attack (CI run of 764bfa6:
      // an honest bundle had 0xFF at byte 7, and setting it to 0xFF changed nothing).
      assertTrue(!Arrays.equals(m, bundle), "a mutant must differ from the honest bundle");
      JsonObject b = body.deepCopy();
      b.addProperty("bundle", Base64.getEncoder().encodeToString(m));
      refused(path, ch.insurerOrg, null, "money:transfer", ch.insurer.sign(b));
    }
    JsonArray fold = body.getAsJsonArray("fold").deepCopy();
    if (!fold.isEmpty()) {
      JsonObject b = body.deepCopy();
      fold.add(fold.get(0));
      b.add("fold", fold);
      refused(path, ch.insurerOrg, ErrorCode.MALFORMED_REQUEST, "money:transfer", ch.insurer.sign(b));
    }
  }
}
