package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.ReshareDealing;
import org.medledger.crypto.threshold.Resharing;
import org.medledger.crypto.threshold.SubShare;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.CommitteeAct;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.Keystore;
import org.medledger.sdk.KeystoreException;
import org.medledger.sdk.ShareKeystore;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.RecordClient;
import org.medledger.crypto.proof.RingPedersenParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger committee}: deal, show and re-share the regulator committee (docs/cli.md §4). */
@Command(name = "committee", mixinStandardHelpOptions = true,
    description = "The regulator committee: deal its t-of-m key, show it, issue money by t signatures, re-share it to new members.",
    subcommands = {CommitteeCommand.Deal.class, CommitteeCommand.Show.class, CommitteeCommand.Issue.class,
        CommitteeCommand.Reshare.class})
final class CommitteeCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: deal, show, issue or reshare");
  }

  /** The local names in {@code list} (comma-separated), distinct, each a committee member account. */
  static List<String> memberNames(Base cmd, String option, String list) throws CliException, KeystoreException {
    List<String> names = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(list.split(",", -1))));
    if (names.size() != list.split(",", -1).length) {
      throw CliException.usage(option + " names a member twice");
    }
    for (String n : names) {
      Home.checkName(n);
      Home.Local l = cmd.home().local(n);
      if (l.info().role() != Role.COMMITTEE_MEMBER) {
        throw CliException.local("WRONG_ROLE", "'" + n + "' is " + anAccount(l.info().role()) + ", not a committee_member account");
      }
    }
    return names;
  }

  static int checkShape(int t, int m) throws CliException {
    if (m < 2 || m > 32 || t < 2 || t > m) {
      throw CliException.usage("a committee is t-of-m with 2 ≤ t ≤ m ≤ 32, got " + t + "-of-" + m);
    }
    return t;
  }

  /**
   * The committee channel's set-up in one run (the regulator's signing key lives only for it; the
   * keystore cannot hold a signing-only account): deals the committee key (a safe-prime search),
   * registers a new regulator account with it, publishes the ring-Pedersen parameters, registers
   * the members not yet registered, registers the committee, and leaves each member's key share in
   * its own share keystore.
   */
  @Command(name = "deal", mixinStandardHelpOptions = true,
      description = "Set up a configured channel's regulator as a t-of-m committee, in one run: deal the committee key (a"
          + " safe-prime search; progress on stderr), register a new regulator account with it, publish the ring-Pedersen"
          + " parameters, register the members not yet registered, register the committee; each member's key share goes"
          + " to its own share keystore under the home (never printed).")
  static final class Deal extends Base {
    @Option(names = {"--threshold", "-t"}, required = true, paramLabel = "<t>", description = "Shares needed to decrypt or act.")
    int threshold;

    @Option(names = "--members", required = true, paramLabel = "<name,...>", split = ",", splitSynopsisLabel = ",",
        description = "The local committee_member accounts, in share-index order.")
    List<String> members;

    @Option(names = "--bits", paramLabel = "<bits>", defaultValue = "2048",
        description = "Committee key size: 2048 (default; seconds) or 3072 (tens of seconds).")
    int bits;

    @Option(names = "--rp-bits", paramLabel = "<bits>", defaultValue = "3072",
        description = "Size of the ring-Pedersen N̂ generated for the channel: 3072 (default) or 2048.")
    int rpBits;

    @Option(names = "--rp-params-file", paramLabel = "<file>",
        description = "Publish ring-Pedersen parameters generated elsewhere instead (as 'records setup --params-file'); needs --rp-proof-file.")
    Path rpParamsFile;

    @Option(names = "--rp-proof-file", paramLabel = "<file>", description = "The Π^prm proof of --rp-params-file.")
    Path rpProofFile;

    @Override
    void execute() throws Exception {
      List<String> names = memberNames(this, "--members", String.join(",", members));
      checkShape(threshold, names.size());
      KeySize size = switch (bits) {
        case 2048 -> KeySize.BITS_2048;
        case 3072 -> KeySize.BITS_3072;
        default -> throw CliException.usage("--bits must be 2048 or 3072, got " + bits);
      };
      RingPedersenParams.Size rpSize = RingPedersenInput.size("--rp-bits", rpBits);
      RingPedersenInput.together("--rp-params-file", rpParamsFile, "--rp-proof-file", rpProofFile);
      RingPedersenInput.FromFiles rpFiles = rpParamsFile == null ? null
          : RingPedersenInput.read(rpParamsFile, rpProofFile, "ring-Pedersen");
      List<Path> files = new ArrayList<>();
      for (String n : names) {
        Path f = CommitteeShares.shareFile(home(), n);
        if (Files.exists(f)) {
          throw CliException.local("SHARE_EXISTS", "a key share for '" + n + "' exists already (" + f + "); shares are never overwritten by a dealing");
        }
        files.add(f);
      }
      LedgerConnection conn = backend().connect(Organisations.REGULATOR_ORG);
      String existing = new PublicLedger(conn).channelInfo().regulator().orElse("");
      if (!existing.isEmpty()) {
        throw CliException.local("CHANNEL_IN_USE", "the channel has a regulator already (" + existing + "), and a channel has"
            + " one for good: a committee is dealt at a fresh channel's set-up; nothing was dealt");
      }
      // Every keystore unlocked first: the dealing takes seconds and is not to be thrown away for a typo.
      List<Acting> acting = new ArrayList<>();
      List<char[]> passwords = new ArrayList<>();
      for (String n : names) {
        acting.add(acting(n, null, Role.COMMITTEE_MEMBER, "committee deal"));
        passwords.add(root().passwords().existing(n));
      }
      AccountSecrets regulator = AccountSecrets.signingOnly(Role.REGULATOR, root().random);
      CommitteeClient client = new CommitteeClient(regulator, conn, root().random);
      ThresholdDealer.Dealing dealing;
      long millis;
      try (Progress p = Progress.start(env(), "dealing a " + bits + "-bit " + threshold + "-of-" + names.size()
          + " committee key (searching for two safe primes)")) {
        dealing = CommitteeClient.deal(size, threshold, names.size(), Organisations.CHANNEL, regulator.accountId(), root().random);
        millis = p.succeeded();
      }
      List<String> ids = acting.stream().map(Acting::account).toList();
      List<String> registered = new ArrayList<>();
      try {
        for (int i = 0; i < names.size(); i++) {
          ShareKeystore.write(files.get(i), ids.get(i), dealing.shares().get(i), passwords.get(i), Keystore.KdfParams.DEFAULT,
              root().random);
        }
        client.registerRegulator(dealing);
        RecordClient records = new RecordClient(regulator, conn, root().random);
        if (rpFiles == null) {
          RingPedersenParams.Generated rp = RingPedersenInput.generate(env(), rpBits, rpSize, root().random).generated();
          records.publishRingPedersen(rp.params().toBytes(), rp.proof().toBytes());
        } else {
          records.publishRingPedersen(rpFiles.params(), rpFiles.proof());
        }
        PublicLedger pub = new PublicLedger(conn);
        for (Acting a : acting) {
          if (!isRegistered(pub, a.account())) {
            try (Progress p = Progress.start(env(), "proving the Paillier key and registering '" + a.local().name() + "'")) {
              a.client().register();
              p.succeeded();
            }
            registered.add(a.local().name());
          }
        }
        client.registerCommittee(dealing.publicKey(), ids);
      } catch (Exception e) {
        for (Path f : files) {
          Files.deleteIfExists(f);
        }
        throw e;
      } finally {
        passwords.forEach(p -> Arrays.fill(p, '\0'));
        dealing.shares().forEach(KeyShare::destroy);
        regulator.destroy();
      }
      JsonObject o = describe(client.committee(), localNames());
      o.addProperty("regulator", regulator.accountId());
      o.addProperty("dealingMillis", millis);
      JsonArray r = new JsonArray();
      registered.forEach(r::add);
      o.add("registeredMembers", r);
      JsonArray f = new JsonArray();
      files.forEach(x -> f.add(x.toString()));
      o.add("shareFiles", f);
      emit(o, "Dealt a " + threshold + "-of-" + names.size() + " committee key (" + bits + " bits) in "
          + String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0) + " s; the regulator account "
          + regulator.accountId() + " is registered with it, the channel's ring-Pedersen parameters are published"
          + (registered.isEmpty() ? "" : ", " + String.join(", ", registered) + " registered") + ", and the committee:\n"
          + memberLines(o)
          + "  each member's key share is in its own keystore under " + files.get(0).getParent() + " (never printed);\n"
          + "  the shares are erased from memory; the regulator's signing key did the set-up and was not kept");
    }
  }

  private static boolean isRegistered(PublicLedger ledger, String account) throws LedgerCallException {
    try {
      ledger.account(account);
      return true;
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("UNKNOWN_ACCOUNT")) {
        return false;
      }
      throw e;
    }
  }

  static CommitteeClient.Committee committeeOrNull(Base cmd) throws Exception {
    try {
      return new CommitteeClient(AccountSecrets.signingOnly(Role.REGULATOR, cmd.root().random),
          cmd.backend().connect(Organisations.REGULATOR_ORG), cmd.root().random).committee();
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("NO_COMMITTEE")) {
        return null;
      }
      throw e;
    }
  }

  static JsonObject describe(CommitteeClient.Committee c, Map<String, String> names) {
    JsonObject o = new JsonObject();
    o.addProperty("threshold", c.publicKey().threshold());
    o.addProperty("members", c.members().size());
    o.addProperty("epoch", c.epoch());
    o.addProperty("seq", c.seq());
    o.addProperty("bits", c.publicKey().paillierKey().bits());
    o.addProperty("fingerprint", HexFormat.of().formatHex(c.publicKey().fingerprint()));
    JsonArray a = new JsonArray();
    for (int i = 0; i < c.members().size(); i++) {
      JsonObject m = new JsonObject();
      m.addProperty("index", i + 1);
      m.addProperty("account", c.members().get(i));
      if (names.containsKey(c.members().get(i))) {
        m.addProperty("name", names.get(c.members().get(i)));
      }
      a.add(m);
    }
    o.add("memberList", a);
    return o;
  }

  static String memberLines(JsonObject o) {
    StringBuilder b = new StringBuilder();
    for (var e : o.getAsJsonArray("memberList")) {
      JsonObject m = e.getAsJsonObject();
      b.append("  ").append(m.get("index").getAsInt()).append(". ")
          .append(m.has("name") ? m.get("name").getAsString() + " (" + m.get("account").getAsString() + ")" : m.get("account").getAsString())
          .append('\n');
    }
    return b.toString();
  }

  /** Shows the committee as the ledger holds it. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show the committee: t-of-m, epoch, act sequence number, key size and fingerprint, members in share-index order.")
  static final class Show extends Base {
    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      CommitteeClient.Committee c = committeeOrNull(this);
      if (c == null) {
        throw new CliException(ExitCode.REFUSED, "NO_COMMITTEE", "the channel has no regulator committee ('medledger committee deal' deals one)");
      }
      JsonObject o = describe(c, localNames());
      emit(o, "Committee " + o.get("threshold").getAsInt() + "-of-" + o.get("members").getAsInt() + ", epoch "
          + c.epoch() + ", next act " + c.seq() + ", " + o.get("bits").getAsInt() + "-bit key "
          + o.get("fingerprint").getAsString().substring(0, 16) + "…\n" + memberLines(o));
    }
  }

  /** Issues money as a committee act: t members sign one body, any of them submits it. */
  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Issue new money to an insurer as a committee act, signed by t members (the amount is public).")
  static final class Issue extends Base {
    @Option(names = "--by", required = true, paramLabel = "<name,...>", split = ",", splitSynopsisLabel = ",",
        description = "The signing members (at least t), local committee_member accounts.")
    List<String> by;

    @Option(names = "--to", required = true, paramLabel = "<account>", description = "The insurer: a local name or an account id.")
    String to;

    @Option(names = "--amount", required = true, paramLabel = "<n>", description = "A positive whole number of units.")
    long amount;

    @Override
    void execute() throws Exception {
      checkPositive("--amount", amount);
      List<String> names = memberNames(this, "--by", String.join(",", by));
      String payee = home().resolve(to);
      CommitteeClient.Committee c = committeeOrNull(this);
      if (c == null) {
        throw new CliException(ExitCode.REFUSED, "NO_COMMITTEE", "the channel has no regulator committee; 'medledger issue' is the regulator's");
      }
      List<CommitteeClient> signers = new ArrayList<>();
      for (String n : names) {
        Acting a = acting(n, null, Role.COMMITTEE_MEMBER, "committee issue");
        signers.add(DiscloseCommand.member(this, a, c));
      }
      CommitteeAct act = signers.get(0).issueAct(payee, amount);
      for (CommitteeClient s : signers) {
        s.sign(act);
      }
      JsonObject r = signers.get(0).submit(act);
      JsonObject o = new JsonObject();
      o.addProperty("kind", "issue");
      o.addProperty("to", payee);
      o.addProperty("amount", amount);
      o.addProperty("txId", r.has("txId") ? r.get("txId").getAsString() : "");
      JsonArray s = new JsonArray();
      act.signers().forEach(s::add);
      o.add("signers", s);
      emit(o, "Issued " + amount(amount) + " to " + label(localNames(), payee) + " by a committee act signed by "
          + String.join(", ", names) + " (tx " + o.get("txId").getAsString() + ")");
    }
  }

  /**
   * Re-shares the committee: t old members (their shares on this home) each deal sub-shares to the
   * new members, sign the act, and the new members' shares replace the old share files.
   */
  @Command(name = "reshare", mixinStandardHelpOptions = true,
      description = "Re-share the committee key to new members and threshold: t old members (--by) deal and sign; each new"
          + " member's share replaces its share file; leaving members' share files are erased; old shares are refused afterwards.")
  static final class Reshare extends Base {
    @Option(names = "--by", required = true, paramLabel = "<name,...>", split = ",", splitSynopsisLabel = ",",
        description = "Exactly t current members whose key shares are on this home: they deal and sign.")
    List<String> by;

    @Option(names = "--members", required = true, paramLabel = "<name,...>", split = ",", splitSynopsisLabel = ",",
        description = "The new committee's local committee_member accounts, in new share-index order.")
    List<String> members;

    @Option(names = {"--threshold", "-t"}, required = true, paramLabel = "<t>", description = "The new threshold.")
    int threshold;

    @Override
    void execute() throws Exception {
      List<String> oldNames = memberNames(this, "--by", String.join(",", by));
      List<String> newNames = memberNames(this, "--members", String.join(",", members));
      checkShape(threshold, newNames.size());
      CommitteeClient.Committee c = committeeOrNull(this);
      if (c == null) {
        throw new CliException(ExitCode.REFUSED, "NO_COMMITTEE", "the channel has no regulator committee");
      }
      ThresholdPublicKey oldPk = c.publicKey();
      if (oldNames.size() != oldPk.threshold()) {
        throw CliException.usage("--by names " + oldNames.size() + " members; a re-sharing is dealt by exactly t = "
            + oldPk.threshold());
      }
      int[] set = new int[oldNames.size()];
      List<Acting> signers = new ArrayList<>();
      List<KeyShare> shares = new ArrayList<>();
      for (int i = 0; i < oldNames.size(); i++) {
        Acting a = acting(oldNames.get(i), null, Role.COMMITTEE_MEMBER, "committee reshare");
        set[i] = c.indexOf(a.account());
        if (set[i] == 0) {
          throw CliException.local("NOT_COMMITTEE_MEMBER", "'" + oldNames.get(i) + "' is not a member of the current committee");
        }
        signers.add(a);
        shares.add(CommitteeShares.read(CommitteeShares.shareFile(home(), oldNames.get(i)), oldNames.get(i), oldPk,
            root().passwords()));
      }
      List<String> newIds = new ArrayList<>();
      for (String n : newNames) {
        newIds.add(home().local(n).info().account());
      }
      List<Resharing.Dealt> dealt = new ArrayList<>();
      List<ReshareDealing> dealings = new ArrayList<>();
      try (Progress p = Progress.start(env(), "re-sharing to " + threshold + "-of-" + newNames.size())) {
        for (KeyShare s : shares) {
          Resharing.Dealt x = CommitteeClient.reshareDeal(oldPk, s, set, threshold, newNames.size(), root().random);
          dealt.add(x);
          dealings.add(x.dealing());
        }
        p.succeeded();
      }
      shares.forEach(KeyShare::destroy);
      CommitteeClient first = new CommitteeClient(signers.get(0).secrets(), signers.get(0).connection(), root().random);
      CommitteeAct act = first.reshareAct(dealings, newIds);
      for (Acting a : signers) {
        new CommitteeClient(a.secrets(), a.connection(), root().random).sign(act);
      }
      first.submit(act);
      CommitteeClient.Committee now = first.committee();
      // Each new member receives its sub-shares and checks its new share against the new key.
      for (int j = 1; j <= newNames.size(); j++) {
        List<SubShare> mine = new ArrayList<>();
        for (Resharing.Dealt x : dealt) {
          mine.add(x.subShares().get(j - 1));
        }
        KeyShare fresh = CommitteeClient.reshareReceive(oldPk, now.publicKey(), dealings, j, mine);
        char[] pw = root().passwords().existing(newNames.get(j - 1));
        try {
          ShareKeystore.write(CommitteeShares.shareFile(home(), newNames.get(j - 1)), newIds.get(j - 1), fresh, pw,
              Keystore.KdfParams.DEFAULT, root().random);
        } finally {
          Arrays.fill(pw, '\0');
          fresh.destroy();
        }
      }
      List<String> erased = new ArrayList<>();
      Map<String, String> names = localNames();
      for (String old : c.members()) {
        String n = names.get(old);
        if (n != null && !newIds.contains(old)) {
          try {
            if (Files.deleteIfExists(CommitteeShares.shareFile(home(), n))) {
              erased.add(n);
            }
          } catch (IOException e) {
            env().err().println("medledger: warning: could not erase the retired share of '" + n + "': " + Errors.cause(e));
          }
        }
      }
      JsonObject o = describe(now, names);
      JsonArray e = new JsonArray();
      erased.forEach(e::add);
      o.add("erasedShares", e);
      emit(o, "Re-shared to " + threshold + "-of-" + newNames.size() + " (epoch " + now.epoch() + "), signed by "
          + String.join(", ", oldNames) + "; the regulator key and every ciphertext stay:\n" + memberLines(o)
          + "  old shares no longer count" + (erased.isEmpty() ? "" : "; erased the leaving members' shares: " + String.join(", ", erased)));
    }
  }
}
