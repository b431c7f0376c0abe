package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.protocol.Role;

/**
 * Runs the session of docs/cli.md §1 as the text gives it, command by command, on a temporary
 * home. Two stand-ins keep it quick: {@code keys generate} writes a keystore with a fixed test key
 * of the documented role, and {@code records setup} publishes fixed 2048-bit parameters from files
 * instead of generating them. The ids each command prints (rec-…, claim-…, grant-…) and the record's
 * fee are taken from the previous commands' --json output.
 */
class DocSessionTest {
  @TempDir
  Path dir;

  private static final Map<String, PaillierSecretKey> KEYS = Map.of("regulator", TestKeys.key2048c(), "insurer",
      TestKeys.key3072(), "st-mary", TestKeys.key2048a(), "alice", TestKeys.key2048b());

  /** The command lines of §1, without "./medledger" and comments; a "likewise" comment kept as the last word. */
  static List<String> sessionLines() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "cli.md"));
    String section = doc.substring(doc.indexOf("A session by hand"), doc.indexOf("## 2. Local state"));
    List<String> out = new ArrayList<>();
    for (String line : section.lines().toList()) {
      if (line.startsWith("    ./medledger ")) {
        out.add(line.substring("    ./medledger ".length()));
      }
    }
    return out;
  }

  @Test
  void theDocumentedSessionRunsAndSettles() throws Exception {
    CliRunner cli = new CliRunner(dir);
    List<String> lines = sessionLines();
    assertTrue(lines.size() >= 20, "§1 has its session: " + lines);
    String recordId = null;
    String claimId = null;
    String grantId = null;
    long fee = -1;
    for (String line : lines) {
      int hash = line.indexOf('#');
      String comment = hash < 0 ? "" : line.substring(hash + 1);
      List<String> args = new ArrayList<>(Arrays.asList((hash < 0 ? line : line.substring(0, hash)).strip().split("\\s+")));
      if (args.get(0).equals("keys")) {
        String name = args.get(args.indexOf("--name") + 1);
        cli.keystore(name, Role.valueOf(args.get(args.indexOf("--role") + 1).toUpperCase()), KEYS.get(name));
        continue;
      }
      if (args.get(0).equals("records") && args.get(1).equals("setup")) {
        Path params = Files.write(dir.resolve("rp-params.bin"), TestRingPedersen.paramsBytes(2048));
        Path proof = Files.write(dir.resolve("rp-proof.bin"), TestRingPedersen.proofBytes(2048));
        args.addAll(List.of("--params-file", params.toString(), "--proof-file", proof.toString()));
      }
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        args.set(i, a.equals("rec-…") ? recordId : a.equals("claim-…") ? claimId : a.equals("grant-…") ? grantId : a);
      }
      String joined = String.join(" ", args).replace("<the record's fee>", Long.toString(fee));
      args = new ArrayList<>(Arrays.asList(joined.split(" ")));
      args.add(0, "--json");
      if (args.get(1).equals("claims") && args.get(2).equals("settle")) {
        // Whatever fee --synthetic drew (SyntheticRecords: 1,500 up to 249,999), the session pays it.
        long insurer = cli.run("--json", "balance", "--account", "insurer").json().get("balance").getAsLong();
        assertTrue(insurer >= 250_000, "the documented insurer holds " + insurer + ", less than a synthetic fee may be");
      }
      CliRunner.Run r = cli.run(args.toArray(String[]::new));
      assertEquals(0, r.exit(), line + "\n" + r);
      JsonObject o = r.json();
      switch (String.join(" ", args.subList(1, Math.min(3, args.size())))) {
        case "records write" -> {
          recordId = o.get("recordId").getAsString();
          fee = o.get("fee").getAsLong();
        }
        case "claims file" -> claimId = o.get("claimId").getAsString();
        case "records grant" -> grantId = o.get("grantId").getAsString();
        case "claims settle" -> assertEquals("SETTLED", o.get("status").getAsString(), r.toString());
        case "balance --account" -> {
          if (comment.contains("holds 3,800")) {
            assertEquals(3_800, o.get("balance").getAsLong());
          }
        }
        default -> { }
      }
      if (comment.contains("likewise")) {
        // "then everyone else: st-mary, alice likewise"
        for (String other : comment.substring(comment.indexOf(':') + 1).replace("likewise", "").split(",")) {
          assertEquals(0, cli.run("accounts", "register", "--account", other.strip()).exit(), other);
        }
      }
    }
    assertTrue(claimId != null && grantId != null, "the session filed a claim and granted");
    JsonObject claim = cli.run("--json", "claims", "show", "--account", "st-mary", "--claim", claimId).json();
    assertEquals("SETTLED", claim.get("status").getAsString());
    assertEquals(fee, cli.run("--json", "balance", "--account", "st-mary").json().get("balance").getAsLong() - 1_500,
        "st-mary holds alice's 1,200, the insurer's 300 and the claim's fee");
  }
}
