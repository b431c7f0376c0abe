package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.ErrorCode;

/**
 * Malformed inputs to every contract function (issues 11 and 12), through both ways a proposal
 * reaches the contracts: the embedded ledger's dispatcher and Fabric's contract router as the
 * chaincode service runs it on a peer. Each must be refused with its stable code, with a short
 * message, and nothing written: the height and every account's nonce stay as they were.
 *
 * <p>The function list below is written out here, independently of the chaincode's own table,
 * so that a function whose arguments the chaincode forgets to check fails this test.
 */
class MalformedInputTest {
  enum Path { EMBEDDED, FABRIC_ROUTER }

  /**
   * Every contract function and its arguments: I an id, E an id or empty, P a page size, B a
   * bookmark, R a signed request, C the channel configuration.
   */
  static final Map<String, String> FUNCTIONS = new LinkedHashMap<>();

  static {
    for (String[] f : new String[][] {
        {"accounts:configure", "C"}, {"accounts:register", "R"}, {"accounts:getAccount", "I"},
        {"accounts:getNonce", "I"}, {"accounts:getChannel", ""},
        {"money:issue", "R"}, {"money:transfer", "R"}, {"money:transferBatch", "T"}, {"money:fold", "R"}, {"money:balance", "I"},
        {"money:credits", "IPB"}, {"money:history", "IPB"}, {"money:audit", "PB"}, {"money:getTransaction", "I"}, {"money:transferByNonce", "II"},
        {"records:setup", "R"}, {"records:getSetup", ""}, {"records:write", "R"}, {"records:correct", "R"},
        {"records:getRecord", "I"}, {"records:listRecords", "IPB"}, {"records:grant", "R"}, {"records:share", "R"},
        {"records:revoke", "R"}, {"records:getGrant", "I"}, {"records:listGrants", "IPB"},
        {"records:listCopies", "IPB"}, {"records:read", "R"}, {"records:trail", "RPB"},
        {"records:auditTrail", "EPB"}, {"records:fileClaim", "R"}, {"records:settleClaim", "R"},
        {"records:rejectClaim", "R"}, {"records:getClaim", "I"}, {"records:listClaims", "IPB"},
        {"channels:open", "RR"}, {"channels:coopClose", "R"}, {"channels:touch", "R"}, {"channels:close", "R"},
        {"channels:dispute", "R"}, {"channels:answer", "R"}, {"channels:contest", "R"}, {"channels:settle", "I"},
        {"channels:getChannel", "I"}, {"channels:channelsOf", "IPB"}}) {
      FUNCTIONS.put(f[0], f[1]);
    }
  }

  /** Ten megabytes and one byte: an argument no function accepts. */
  private static final String HUGE = "a".repeat(10 * 1024 * 1024 + 1);
  /** Over every argument's limit (the largest is a request's 512 KiB), and cheaper to send than HUGE. */
  private static final String LARGE = "a".repeat(512 * 1024 + 1);
  /** Ids that are not valid composite-key parts, or not ids at all. */
  private static final String[] BAD_IDS = {
      "\u0000", "acct-\u0000", "\uDBFF\uDFFF", "acct-\uDBFF\uDFFF", "a\uD800", "\uDC00b", "a b", "acct-é", "a/b",
      "a".repeat(129)};

  private static final Map<Path, Channel> CHANNELS = new EnumMap<>(Path.class);

  @BeforeAll
  static void setUp() {
    CHANNELS.put(Path.EMBEDDED, new Channel().configured().withInstitutions());
    CHANNELS.put(Path.FABRIC_ROUTER, new Channel(new FabricRouter()).configured().withInstitutions());
  }

  static Stream<Arguments> pathsAndFunctions() {
    return Arrays.stream(Path.values()).flatMap(p -> FUNCTIONS.keySet().stream().map(f -> Arguments.of(p, f)));
  }

  // ------------------------------------------------------------------------------ the checks

  /** Submits and expects the refusal {@code code}, a short message, and nothing written. */
  private static TxResult refused(Path path, ErrorCode code, String function, String... args) {
    return refusedFrom(path, CHANNELS.get(path).hospitalOrg, code, function, args);
  }

  private static TxResult refusedFrom(Path path, Identity who, ErrorCode code, String function, String... args) {
    Channel ch = CHANNELS.get(path);
    long height = ch.ledger.height();
    List<Long> nonces = nonces(ch);
    TxResult r = ch.submit(who, function, args);
    String what = path + " " + abbreviate(function) + " " + abbreviate(Arrays.toString(args));
    assertEquals(org.medledger.embedded.TxStatus.ENDORSEMENT_FAILURE, r.status(), what + ": " + abbreviate(r.toString()));
    assertEquals(code.name(), new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8), what + ": " + abbreviate(r.message()));
    assertTrue(r.message().startsWith(code.name() + ": "), what + ": " + abbreviate(r.message()));
    assertTrue(r.message().length() <= 512, what + ": the refusal echoes " + r.message().length() + " characters");
    assertEquals(height, ch.ledger.height(), what + ": a refused proposal must not be ordered");
    assertEquals(nonces, nonces(ch), what + ": a refused request must not consume a nonce");
    return r;
  }

  private static List<Long> nonces(Channel ch) {
    List<Long> out = new ArrayList<>();
    for (Actor a : List.of(ch.regulator, ch.insurer, ch.hospital)) {
      out.add(CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "accounts:getNonce", a.id)).get("next").getAsLong());
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…(" + s.length() + " chars)";
  }

  /** Well-formed arguments of each kind, so that only the argument under test is wrong. */
  private static String[] fillers(Channel ch, String kinds) {
    String[] out = new String[kinds.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (kinds.charAt(i)) {
        case 'I' -> ch.insurer.id;
        case 'E', 'B' -> "";
        case 'P' -> "10";
        case 'R', 'C', 'T' -> "{}";
        default -> throw new IllegalArgumentException(kinds);
      };
    }
    return out;
  }

  // ------------------------------------------------------------------------------- the tests

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pathsAndFunctions")
  void extraAndMissingArgumentsAreRefused(Path path, String function) {
    String[] args = fillers(CHANNELS.get(path), FUNCTIONS.get(function));
    String[] extra = Arrays.copyOf(args, args.length + 1);
    extra[args.length] = "";
    refused(path, ErrorCode.MALFORMED_REQUEST, function, extra);
    if (args.length > 0) {
      refused(path, ErrorCode.MALFORMED_REQUEST, function, Arrays.copyOf(args, args.length - 1));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pathsAndFunctions")
  void oversizedArgumentsAreRefusedWithoutEchoingThem(Path path, String function) {
    String[] args = fillers(CHANNELS.get(path), FUNCTIONS.get(function));
    for (int i = 0; i < args.length; i++) {
      String[] big = args.clone();
      big[i] = i == 0 ? HUGE : LARGE;
      refused(path, ErrorCode.PAYLOAD_TOO_LARGE, function, big);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pathsAndFunctions")
  void malformedIdArgumentsAreRefused(Path path, String function) {
    String kinds = FUNCTIONS.get(function);
    String[] args = fillers(CHANNELS.get(path), kinds);
    for (int i = 0; i < args.length; i++) {
      if (kinds.charAt(i) != 'I' && kinds.charAt(i) != 'E') {
        continue;
      }
      for (String bad : BAD_IDS) {
        String[] a = args.clone();
        a[i] = bad;
        refused(path, bad.length() > 128 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.MALFORMED_REQUEST, function, a);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void unknownContractsAndFunctionsAreRefused(Path path) {
    Channel ch = CHANNELS.get(path);
    for (String fn : new String[] {"money:nosuch", "nosuch:getAccount", "getAccount", "accounts", ":", "money:",
        "", "accounts:getAccount:x", "accounts:getAccount\u0000", "\uDBFF\uDFFF:getAccount", "Money:balance",
        "money:unknownTransaction", "money:beforeTransaction", "money:" + HUGE}) {
      refused(path, ErrorCode.MALFORMED_REQUEST, fn, ch.insurer.id);
    }
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void idsInsideRequestsThatAreNotKeyPartsAreRefused(Path path) {
    Channel ch = CHANNELS.get(path);
    for (String bad : new String[] {"\uDBFF\uDFFF", "x\uDBFF\uDFFF", "a\uD800", "\uDC00", "acct-é"}) {
      JsonObject fold = ch.insurer.foldBody(List.of(bad));
      refused(path, ErrorCode.MALFORMED_REQUEST, "money:fold", ch.insurer.sign(fold));
      JsonObject issue = ch.regulator.issueBody(ch.insurer, 10);
      issue.addProperty("to", bad);
      refusedFrom(path, ch.regulatorOrg, ErrorCode.MALFORMED_REQUEST, "money:issue", ch.regulator.sign(issue));
      JsonObject touch = ch.insurer.body("channelTouch");
      touch.addProperty("channel", bad);
      refused(path, ErrorCode.MALFORMED_REQUEST, "channels:touch", ch.insurer.sign(touch));
      JsonObject trail = new JsonObject();
      trail.addProperty("type", "record.trail");
      trail.addProperty("account", bad);
      trail.addProperty("notAfter", 1);
      refused(path, ErrorCode.MALFORMED_REQUEST, "records:trail", ch.insurer.sign(trail), "10", "");
    }
  }

  /**
   * Every request function, with a body of the right members signed by an existing account, its
   * numbers rewritten in non-canonical forms of the same value (and fractions) after signing.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void nonCanonicalNumbersAreRefusedBeforeTheSignatureIsChecked(Path path) {
    Channel ch = CHANNELS.get(path);
    Actor ins = ch.insurer;
    List<Object[]> requests = new ArrayList<>(); // {function, signed body, signer, extra args}
    JsonObject register = new JsonObject();
    register.addProperty("type", "register");
    register.addProperty("account", ch.hospital.id);
    register.addProperty("nonce", 0);
    register.addProperty("role", "HOSPITAL");
    register.addProperty("paillierKey", "AAAA");
    register.addProperty("keyProof", "AAAA");
    register.addProperty("signingKey", Actor.b64(ch.hospital.signing.generatePublicKey().getEncoded()));
    requests.add(new Object[] {"accounts:register", register, ch.hospital});
    requests.add(new Object[] {"money:issue", ch.regulator.issueBody(ins, 1000), ch.regulator});
    requests.add(new Object[] {"money:transfer", members(ins, "transfer", "to", "fold", "bundle"), ins});
    requests.add(new Object[] {"money:fold", members(ins, "fold", "credits"), ins});
    requests.add(new Object[] {"records:setup", members(ins, "record.setup", "params", "proof"), ins});
    requests.add(new Object[] {"records:write", members(ins, "record.write", "recordId", "patient", "recordType",
        "record", "proof", "commitment"), ins});
    requests.add(new Object[] {"records:correct", members(ins, "record.correct", "recordId", "patient", "recordType",
        "record", "proof", "commitment", "replaces"), ins});
    JsonObject grant = members(ins, "record.grant", "grantId", "grantee", "scope", "target", "copies");
    grant.addProperty("expiresAt", 4_000_000_000L);
    requests.add(new Object[] {"records:grant", grant, ins});
    requests.add(new Object[] {"records:share", members(ins, "record.share", "grantId", "copies"), ins});
    requests.add(new Object[] {"records:revoke", members(ins, "record.revoke", "grantId"), ins});
    requests.add(new Object[] {"records:read", members(ins, "record.read", "grantId", "recordId"), ins});
    JsonObject trail = new JsonObject();
    trail.addProperty("type", "record.trail");
    trail.addProperty("account", ins.id);
    trail.addProperty("notAfter", 0);
    requests.add(new Object[] {"records:trail", trail, ins, "10", ""});
    requests.add(new Object[] {"records:fileClaim", members(ins, "claim.file", "claimId", "recordId", "insurer",
        "feeHospital", "feeInsurer", "feeRegulator"), ins});
    requests.add(new Object[] {"records:settleClaim", members(ins, "claim.settle", "claimId", "transferTx", "readTx"), ins});
    requests.add(new Object[] {"records:rejectClaim", members(ins, "claim.reject", "claimId", "reason"), ins});
    JsonObject open = members(ins, "channelOpen", "channel", "partyA", "partyB", "fold", "bundle");
    open.addProperty("window", 3600);
    open.addProperty("depth", 16);
    requests.add(new Object[] {"channels:open", open, ins, ins.sign(open)});
    for (String t : new String[] {"channelCoopClose", "channelClose", "channelDispute"}) {
      JsonObject s = members(ins, t, "channel", "payer", "digest", "sigA", "sigB", "bundle");
      s.addProperty("seq", 7);
      requests.add(new Object[] {"channels:" + Character.toLowerCase(t.charAt(7)) + t.substring(8), s, ins});
    }
    requests.add(new Object[] {"channels:touch", members(ins, "channelTouch", "channel"), ins});
    JsonObject answer = members(ins, "channelAnswer", "channel", "bundle");
    answer.addProperty("seq", 7);
    requests.add(new Object[] {"channels:answer", answer, ins});
    JsonObject contest = members(ins, "channelContest", "channel", "salt", "randomness");
    contest.addProperty("seq", 7);
    contest.addProperty("amount", 0);
    requests.add(new Object[] {"channels:contest", contest, ins});

    for (Object[] q : requests) {
      String function = (String) q[0];
      JsonObject body = (JsonObject) q[1];
      Actor signer = (Actor) q[2];
      String[] rest = Arrays.copyOfRange(q, 3, q.length, String[].class);
      String signed = signer.sign(body);
      int numbers = 0;
      for (Map.Entry<String, JsonElement> m : body.entrySet()) {
        if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isNumber()) {
          continue;
        }
        numbers++;
        String canonical = "\"" + m.getKey() + "\":" + m.getValue().getAsString();
        assertTrue(signed.contains(canonical), signed);
        for (String variant : variants(m.getValue().getAsLong())) {
          String forged = signed.replace(canonical, "\"" + m.getKey() + "\":" + variant);
          String[] args = new String[rest.length + 1];
          args[0] = forged;
          System.arraycopy(rest, 0, args, 1, rest.length);
          refusedFrom(path, ch.gateway(signer), ErrorCode.MALFORMED_REQUEST, function, args);
        }
      }
      assertTrue(numbers > 0, function);
    }
    assertEquals(FUNCTIONS.values().stream().filter(k -> k.contains("R")).count(), requests.size(),
        "one request of every function that takes one");

    // The request text must be the canonical text itself: no whitespace, members in order.
    String issue = ch.regulator.sign(ch.regulator.issueBody(ins, 1000));
    refusedFrom(path, ch.regulatorOrg, ErrorCode.MALFORMED_REQUEST, "money:issue", issue.replace("\"amount\":1000", "\"amount\": 1000"));
    refusedFrom(path, ch.regulatorOrg, ErrorCode.MALFORMED_REQUEST, "money:issue", " " + issue);
    refusedFrom(path, ch.regulatorOrg, ErrorCode.MALFORMED_REQUEST, "money:issue", issue.replace("\"to\":\"acct-", "\"to\":\"\\u0061cct-"));
    // The signed, canonical request is accepted (the forgeries above differed from it in number form only).
    TxResult ok = ch.submit(ch.regulatorOrg, "money:issue", issue);
    assertTrue(ok.isValid(), ok.toString());
    ch.regulator.nonce++;
  }

  /** Non-canonical spellings of {@code v} (and fractions near it); the signature covers {@code v}. */
  private static List<String> variants(long v) {
    List<String> out = new ArrayList<>(List.of(v + ".0", v + "e0", v + "E0", v + "e-0", v + "e+0", v + ".5", v + ".0e0",
        "0" + v, "00" + v, v + ".000"));
    if (v == 0) {
      out.addAll(List.of("-0", "-0.0", "0e5", "-0e0"));
    } else {
      out.add("-" + v + ".0");
    }
    if (v == 1000) {
      out.addAll(List.of("1e3", "1E3", "1e+3", "1000e-0", "10000e-1", "0.1e4", "1000.0"));
    }
    return out;
  }

  /** A body of {@code type} from {@code a} with its nonce and the named members set to placeholder strings. */
  private static JsonObject members(Actor a, String type, String... names) {
    JsonObject b = a.body(type);
    for (String n : names) {
      b.addProperty(n, "x");
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void integersOutsideTheLongRangeAndHugeExponentsAreMalformedNotErrors(Path path) {
    Channel ch = CHANNELS.get(path);
    String issue = ch.regulator.sign(ch.regulator.issueBody(ch.insurer, 1000));
    for (String n : new String[] {"9223372036854775808", "-9223372036854775809", "1e999999999", "1" + "0".repeat(5000)}) {
      refusedFrom(path, ch.regulatorOrg, ErrorCode.MALFORMED_REQUEST, "money:issue", issue.replace("\"amount\":1000", "\"amount\":" + n));
    }
  }
}
