package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.Disclosure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medledger disclose}: disclosure requests of the regulator committee (docs/cli.md §4). */
@Command(name = "disclose", mixinStandardHelpOptions = true,
    description = "Disclosure requests: a committee member asks, with a reason, to open one regulator ciphertext; t members' shares open it.",
    subcommands = {DiscloseCommand.Request.class, DiscloseCommand.Share.class, DiscloseCommand.Status.class,
        DiscloseCommand.Open.class})
final class DiscloseCommand extends Base {
  private static final Pattern DISCLOSURE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: request, share, status or open");
  }

  static String disclosureId(String value) throws CliException {
    if (!DISCLOSURE_ID.matcher(value).matches()) {
      throw CliException.usage("<disclosure> takes a disclosure id (letters, digits, '-', '_'), got '" + value + "'");
    }
    return value;
  }

  /** A member's client, checked against the current committee before anything is unlocked or sent. */
  static CommitteeClient member(Base cmd, Acting a, CommitteeClient.Committee c) throws CliException {
    if (c.indexOf(a.account()) == 0) {
      throw CliException.local("NOT_COMMITTEE_MEMBER", "'" + a.local().name() + "' is not a member of the current committee"
          + " (epoch " + c.epoch() + "); nothing was sent");
    }
    // This run's clock: a member refuses to share for a statistics bucket whose month it sees running.
    return CommitteeClient.builder().secrets(a.secrets()).ledger(a.connection()).random(cmd.root().random)
        .clock(cmd.root().clock).build();
  }

  static CommitteeClient.Committee committee(Base cmd) throws Exception {
    CommitteeClient.Committee c = CommitteeCommand.committeeOrNull(cmd);
    if (c == null) {
      throw new CliException(ExitCode.REFUSED, "NO_COMMITTEE", "the channel has no regulator committee ('medledger committee deal' deals one)");
    }
    return c;
  }

  static JsonObject describe(Disclosure d, Map<String, String> names) {
    JsonObject o = new JsonObject();
    o.addProperty("disclosureId", d.id());
    o.addProperty("requester", d.requester());
    o.addProperty("targetKind", d.targetKind().name());
    o.addProperty("targetId", d.targetId());
    if (!d.targetAccount().isEmpty()) {
      o.addProperty("targetAccount", d.targetAccount());
    }
    o.addProperty("reason", d.reason());
    o.addProperty("mode", d.mode().name());
    o.addProperty("status", d.status());
    o.addProperty("openedAt", d.openedAt().toString());
    JsonArray s = new JsonArray();
    d.sharedBy().forEach(s::add);
    o.add("sharedBy", s);
    JsonArray c = new JsonArray();
    d.concerned().forEach(c::add);
    o.add("concerned", c);
    d.plaintext().ifPresent(p -> o.addProperty("plaintext", p.toString()));
    return o;
  }

  static String text(Disclosure d, Map<String, String> names) {
    return "Disclosure " + d.id() + " (" + d.mode() + "): " + d.status() + "\n"
        + "  requested by: " + label(names, d.requester()) + " at " + d.openedAt() + "\n"
        + "  target:       " + d.targetKind() + " " + d.targetId() + (d.targetAccount().isEmpty() ? "" : " of " + d.targetAccount()) + "\n"
        + "  reason:       " + d.reason() + "\n"
        + "  shared by:    " + (d.sharedBy().isEmpty() ? "nobody yet"
            : String.join(", ", d.sharedBy().stream().map(a -> label(names, a)).toList())) + "\n"
        + (d.plaintext().isPresent() ? "  plaintext:    " + d.plaintext().get() + " (on chain: the request was PUBLIC)\n" : "");
  }

  /** A member opens a request. */
  @Command(name = "request", mixinStandardHelpOptions = true,
      description = "Committee member: request the disclosure of one regulator ciphertext, with a reason stored on chain.")
  static final class Request extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<member>", description = "The local committee member asking.")
    String name;

    @Option(names = "--kind", required = true, paramLabel = "<kind>", description = "What is disclosed: ${COMPLETION-CANDIDATES}.")
    CommitteeProtocol.Target kind;

    @Option(names = "--id", required = true, paramLabel = "<id>", description = "The transaction (tx id), claim or channel id.")
    String targetId;

    @Option(names = "--target-account", paramLabel = "<account>", description = "CHANNEL_DEPOSIT only: the depositing party.")
    String targetAccount;

    @Option(names = "--reason", required = true, paramLabel = "<text>", description = "Why (1-500 characters, public on chain).")
    String reason;

    @Option(names = "--mode", paramLabel = "<mode>", defaultValue = "PRIVATE",
        description = "public: the plaintext goes on chain once t members share; private (default): only the requester combines it.")
    CommitteeProtocol.Mode mode;

    @Override
    void execute() throws Exception {
      if (reason.isEmpty() || reason.length() > 500) {
        throw CliException.usage("--reason must be 1-500 characters");
      }
      if ((kind == CommitteeProtocol.Target.CHANNEL_DEPOSIT) != (targetAccount != null)) {
        throw CliException.usage("--target-account goes with --kind CHANNEL_DEPOSIT, and only with it");
      }
      String account = targetAccount == null ? "" : home().resolve(targetAccount);
      Acting a = acting(name, null, Role.COMMITTEE_MEMBER, "disclose request");
      CommitteeClient client = member(this, a, committee(this));
      Disclosure d = client.open(kind, targetId, account, reason, mode);
      Map<String, String> names = localNames();
      emit(describe(d, names), "Requested disclosure " + d.id() + "\n" + text(d, names).lines().skip(1)
          .reduce("", (x, y) -> x + y + "\n"));
    }
  }

  /** A member shares its decryption for a request. */
  @Command(name = "share", mixinStandardHelpOptions = true,
      description = "Committee member: share a decryption for a request. PUBLIC: on chain (the t-th opens it). PRIVATE: its"
          + " digest on chain, the share delivered to the requester under the home (never printed).")
  static final class Share extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<member>", description = "The local committee member.")
    String name;

    @Option(names = "--share-file", paramLabel = "<file>",
        description = "The member's key share keystore (default: <home>/committee/<member>.share).")
    Path shareFile;

    @Parameters(paramLabel = "<disclosure>", description = "The disclosure request's id.")
    String id;

    @Override
    void execute() throws Exception {
      disclosureId(id);
      CommitteeClient.Committee c = committee(this);
      Home.Local local = home().local(name);
      if (local.info().role() != Role.COMMITTEE_MEMBER) {
        throw CliException.local("WRONG_ROLE", "disclose share is done by a committee_member account; '" + name + "' is "
            + anAccount(local.info().role()));
      }
      if (c.indexOf(local.info().account()) == 0) {
        throw CliException.local("NOT_COMMITTEE_MEMBER", "'" + name + "' is not a member of the current committee (epoch "
            + c.epoch() + "); nothing was sent");
      }
      Path file = shareFile != null ? shareFile : CommitteeShares.shareFile(home(), name);
      KeyShare share = CommitteeShares.read(file, name, c.publicKey(), root().passwords());
      Acting a = acting(name, null, Role.COMMITTEE_MEMBER, "disclose share");
      CommitteeClient client = member(this, a, c);
      Disclosure before = client.disclosure(id);
      Disclosure after;
      Path delivered = null;
      try {
        if (before.mode() == CommitteeProtocol.Mode.PUBLIC) {
          after = client.share(id, share);
        } else {
          byte[] bytes = client.sharePrivately(id, share);
          delivered = CommitteeShares.deliveredDir(home(), id).resolve(a.account() + ".dshare");
          Files.createDirectories(delivered.getParent());
          CommitteeShares.writePrivate(delivered, bytes);
          after = client.disclosure(id);
        }
      } finally {
        share.destroy();
      }
      Map<String, String> names = localNames();
      JsonObject o = describe(after, names);
      if (delivered != null) {
        o.addProperty("deliveredTo", delivered.toString());
      }
      emit(o, "Shared for " + id + " as '" + name + "' (" + after.sharedBy().size() + " of " + c.publicKey().threshold()
          + "): " + after.status()
          + (after.plaintext().isPresent() ? "; plaintext " + after.plaintext().get() + " (now on chain)" : "")
          + (delivered != null ? "; the share went to the requester (" + delivered + "), its digest on chain" : ""));
    }
  }

  /** Anyone: a request's status. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show a disclosure request: target, reason, mode, status, the members who shared; a PUBLIC one's plaintext once opened.")
  static final class Status extends Base {
    @Parameters(paramLabel = "<disclosure>", description = "The disclosure request's id.")
    String id;

    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      disclosureId(id);
      CommitteeClient client = new CommitteeClient(AccountSecrets.signingOnly(Role.REGULATOR, root().random),
          backend().connect(Organisations.REGULATOR_ORG), root().random);
      Disclosure d = client.disclosure(id);
      Map<String, String> names = localNames();
      emit(describe(d, names), text(d, names));
    }
  }

  /** The requester combines a PRIVATE request's shares, or reads a PUBLIC one's plaintext. */
  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Requester: combine the shares delivered for a PRIVATE request (checked against the digests on chain);"
          + " for a PUBLIC request, show the plaintext stored on chain.")
  static final class Open extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<member>", description = "The local member who requested it.")
    String name;

    @Parameters(paramLabel = "<disclosure>", description = "The disclosure request's id.")
    String id;

    @Override
    void execute() throws Exception {
      disclosureId(id);
      Acting a = acting(name, null, Role.COMMITTEE_MEMBER, "disclose open");
      CommitteeClient client = new CommitteeClient(a.secrets(), a.connection(), root().random);
      Disclosure d = client.disclosure(id);
      BigInteger plain;
      if (d.mode() == CommitteeProtocol.Mode.PUBLIC) {
        plain = d.plaintext().orElseThrow(() -> CliException.local("NOT_ENOUGH_SHARES", id + " is PUBLIC and "
            + d.sharedBy().size() + " member(s) have shared; it opens on chain with the t-th share"));
      } else {
        if (!d.requester().equals(a.account())) {
          throw CliException.local("NOT_REQUESTER", "only the requester combines a PRIVATE request's shares; '" + name
              + "' did not request " + id);
        }
        List<byte[]> received = new ArrayList<>();
        Path dir = CommitteeShares.deliveredDir(home(), id);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".dshare")).sorted().toList()) {
              received.add(Files.readAllBytes(p));
            }
          } catch (IOException e) {
            throw new CliException(ExitCode.KEYSTORE, "IO", "cannot read the shares in " + dir + ": " + Errors.cause(e), e);
          }
        }
        try {
          plain = client.combine(id, received);
        } catch (ClientRefusalException e) {
          throw refusedLocally(e);
        }
      }
      Map<String, String> names = localNames();
      JsonObject o = describe(d, names);
      o.addProperty("plaintext", plain.toString());
      emit(o, "Disclosure " + id + " (" + d.mode() + ", " + d.targetKind() + " " + d.targetId() + "): " + plain
          + (d.mode() == CommitteeProtocol.Mode.PRIVATE ? " (combined here; not on chain)" : " (on chain)"));
    }
  }

}
