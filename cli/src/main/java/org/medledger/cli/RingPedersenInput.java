package org.medledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.proof.RingPedersenParams;

/**
 * The channel's ring-Pedersen parameters as a command that publishes them takes them ('records
 * setup', 'committee deal'): generated here at a size of 2048 or 3072 bits, or generated elsewhere
 * and read from a parameters file and its proof file (docs/protocol.md §5.4).
 */
final class RingPedersenInput {
  private RingPedersenInput() {
  }

  /** Parameters and proof as read from their files, and what they decode to (checked as the chaincode checks them). */
  record FromFiles(byte[] params, byte[] proof, RingPedersenParams decoded) {
  }

  /** Parameters generated here, and how long the safe-prime search took. */
  record Generated(RingPedersenParams.Generated generated, long millis) {
  }

  /** The size that {@code option} names: 2048 or 3072 bits; any other number is a usage error. */
  static RingPedersenParams.Size size(String option, int bits) throws CliException {
    return switch (bits) {
      case 2048 -> RingPedersenParams.Size.BITS_2048;
      case 3072 -> RingPedersenParams.Size.BITS_3072;
      default -> throw CliException.usage(option + " must be 2048 or 3072, got " + bits);
    };
  }

  /** Refuses a parameters file given without its proof file, or a proof file without parameters. */
  static void together(String paramsOption, Path params, String proofOption, Path proof) throws CliException {
    if ((params == null) != (proof == null)) {
      throw CliException.usage(paramsOption + " and " + proofOption + " go together");
    }
  }

  /**
   * Reads and decodes the files; a file that cannot be read is a usage error ("cannot read the
   * {@code what} files: ..."), parameters or a proof that do not verify a local refusal with the
   * crypto code.
   */
  static FromFiles read(Path params, Path proof, String what) throws CliException {
    byte[] p;
    byte[] q;
    try {
      p = Files.readAllBytes(params);
      q = Files.readAllBytes(proof);
    } catch (IOException e) {
      throw CliException.usage("cannot read the " + what + " files: " + Errors.cause(e));
    }
    try {
      return new FromFiles(p, q, RingPedersenParams.fromBytes(p, q)); // the chaincode checks the same again
    } catch (CryptoException e) {
      throw CliException.local(e.code(), e.getMessage());
    }
  }

  /** Generates parameters of {@code bits} ({@code size}) with a progress line on stderr (two safe primes: seconds to a minute). */
  static Generated generate(Env env, int bits, RingPedersenParams.Size size, SecureRandom random) {
    try (Progress p = Progress.start(env, "generating " + bits + "-bit ring-Pedersen parameters (two safe primes)")) {
      RingPedersenParams.Generated g = RingPedersenParams.generate(size, random);
      return new Generated(g, p.succeeded());
    }
  }
}
