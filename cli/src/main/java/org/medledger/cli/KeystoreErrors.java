package org.medledger.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.Keystore;
import org.medledger.sdk.KeystoreException;

/** A keystore failure of client-sdk, told in the CLI's words with the file it is about (docs/cli.md §3). */
final class KeystoreErrors {
  private KeystoreErrors() {}

  /** The failure reading {@code file}, as the one-line error the CLI prints. */
  static CliException explain(Path file, KeystoreException e) {
    if (e.code() == KeystoreException.Code.WEAK_PARAMETERS) {
      return kdf(file, e);
    }
    if (e.code() == KeystoreException.Code.CORRUPT) {
      // Not the parser's words (Gson's troubleshooting link): what the user can act on.
      return new CliException(ExitCode.KEYSTORE, e.code().name(), "keystore " + file
          + " is truncated or not a MedLedger keystore", e);
    }
    if (e.code() == KeystoreException.Code.IO && e.getCause() instanceof java.io.IOException io) {
      return new CliException(ExitCode.KEYSTORE, e.code().name(), "cannot read keystore " + file + ": " + Errors.cause(io), e);
    }
    return new CliException(ExitCode.KEYSTORE, e.code().name(), stripCode(e.getMessage(), e.code().name()), e);
  }

  /**
   * The SDK refuses a KDF cost outside its accepted range with one code; the file says which side:
   * below the minimum (a possible downgrade) or more work than the SDK is willing to spend.
   */
  private static CliException kdf(Path file, KeystoreException e) {
    Keystore.KdfParams min = Keystore.KdfParams.MINIMUM;
    long memoryKiB;
    long iterations;
    long parallelism;
    try {
      JsonObject k = CanonicalJson.parseObject(Files.readString(file, StandardCharsets.UTF_8).strip()).getAsJsonObject("kdf");
      memoryKiB = number(k.get("memoryKiB"));
      iterations = number(k.get("iterations"));
      parallelism = number(k.get("parallelism"));
    } catch (Exception unreadable) {
      return new CliException(ExitCode.KEYSTORE, e.code().name(), "keystore " + file
          + " asks for a key-derivation cost outside the accepted range", e);
    }
    String asked = cost(memoryKiB, iterations, parallelism);
    if (memoryKiB < min.memoryKiB() || iterations < min.iterations() || parallelism < 1) {
      return new CliException(ExitCode.KEYSTORE, "WEAK_PARAMETERS", "keystore " + file + " asks for less key-derivation work"
          + " than the minimum (" + asked + "; at least " + cost(min.memoryKiB(), min.iterations(), min.parallelism())
          + "); refusing a possible downgrade", e);
    }
    return new CliException(ExitCode.KEYSTORE, "KDF_COST_TOO_HIGH", "keystore " + file + " asks for more key-derivation work"
        + " than this build allows (" + asked + "; at most 4 GiB, 64 passes, 16 lanes); refusing to spend it", e);
  }

  private static long number(JsonElement e) {
    return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
  }

  private static String cost(long memoryKiB, long iterations, long parallelism) {
    return (memoryKiB % 1024 == 0 ? memoryKiB / 1024 + " MiB" : memoryKiB + " KiB") + ", " + iterations
        + (iterations == 1 ? " pass, " : " passes, ") + parallelism + (parallelism == 1 ? " lane" : " lanes");
  }

  private static String stripCode(String message, String code) {
    return message.startsWith(code + ": ") ? message.substring(code.length() + 2) : message;
  }
}
