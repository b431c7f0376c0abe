package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.KeystoreException;
import org.medledger.sdk.ShareKeystore;

/**
 * Where the committee's secrets live under the home (docs/cli.md §2): each member's key share in
 * its own {@link ShareKeystore} file, and the decryption shares of PRIVATE requests delivered to
 * the requester. Never printed.
 *
 * <pre>
 * &lt;home&gt;/committee/&lt;name&gt;.share                        member &lt;name&gt;'s key share (its keystore password)
 * &lt;home&gt;/disclosures/&lt;disclosure-id&gt;/&lt;account&gt;.dshare  a member's share of a PRIVATE request
 * </pre>
 */
final class CommitteeShares {
  private CommitteeShares() {}

  static Path shareFile(Home home, String name) throws CliException {
    return home.dir().resolve("committee").resolve(Home.checkName(name) + ".share");
  }

  static Path deliveredDir(Home home, String disclosureId) {
    return home.dir().resolve("disclosures").resolve(disclosureId);
  }

  /**
   * Reads member {@code name}'s key share from {@code file} for the committee key {@code pk}: a
   * share of another committee or an earlier epoch (re-shared since) is refused as STALE_SHARE
   * before the password is asked for.
   */
  static KeyShare read(Path file, String name, ThresholdPublicKey pk, Passwords passwords) throws CliException {
    if (!Files.isRegularFile(file)) {
      throw CliException.local("NO_KEY_SHARE", "no key share for '" + name + "' at " + file
          + " (a member's share is written by 'medledger committee deal' or 'committee reshare')");
    }
    String committee;
    try {
      if (Files.size(file) > 64 * 1024) {
        throw new CliException(ExitCode.KEYSTORE, "CORRUPT", file + " is too large to be a key share file");
      }
      JsonObject o = CanonicalJson.parseObject(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip());
      committee = o.get("committee").getAsString();
    } catch (IOException e) {
      throw new CliException(ExitCode.KEYSTORE, "IO", "cannot read " + file + ": " + Errors.cause(e), e);
    } catch (RuntimeException e) {
      throw new CliException(ExitCode.KEYSTORE, "CORRUPT", file + " is not a key share file", e);
    }
    if (!committee.equals(HexFormat.of().formatHex(pk.fingerprint()))) {
      throw CliException.local("STALE_SHARE", "the key share in " + file + " belongs to another committee or an"
          + " earlier epoch (re-shared since); it no longer counts and should be erased; nothing was sent");
    }
    char[] password = passwords.existing(name);
    try {
      return ShareKeystore.read(file, password, pk);
    } catch (KeystoreException e) {
      throw new CliException(ExitCode.KEYSTORE, e.code().name(), file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** Writes {@code content} to {@code file}, readable by its owner only where the file system allows, atomically. */
  static void writePrivate(Path file, byte[] content) throws CliException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(tmp, content);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the home directory's permissions protect it
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException(ExitCode.KEYSTORE, "IO", "cannot write " + file + ": " + Errors.cause(e), e);
    }
  }
}
