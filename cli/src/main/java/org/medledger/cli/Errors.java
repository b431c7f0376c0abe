package org.medledger.cli;

import com.google.gson.JsonObject;
import java.util.Map;
import org.medledger.protocol.CanonicalJson;
import org.medledger.crypto.CryptoException;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.KeystoreException;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.RecordAccessDeniedException;
import org.medledger.sdk.RecordIntegrityException;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr, {@code medledger: error: CODE: message}, and an exit
 * code (docs/cli.md §3). The stack trace is printed only under {@code --verbose}.
 */
final class Errors {
  /** What to tell the user about a failure. */
  record Report(ExitCode exit, String code, String message) {}

  private static final Map<String, String> HINTS = Map.of(
      "NOT_CONFIGURED", "run 'medledger configure' first",
      "NO_REGULATOR", "register the regulator account first",
      "RECORDS_NOT_SET_UP", "the regulator registers first and runs 'medledger records setup'; then the others register",
      "UNKNOWN_ACCOUNT", "is the account registered? ('medledger accounts register')",
      "FORBIDDEN_ORGANISATION", "this organisation's gateway may not do this (see --org)",
      "ALREADY_CONFIGURED", "the channel is configured already; nothing to do",
      "STATS_NOT_CLOSED", "a bucket is opened once its month (UTC) is over",
      "STATS_BELOW_K", "a bucket is opened only with at least k contributions ('medledger stats buckets' shows them)",
      "STATS_NOT_OPENED", "t committee members share first ('medledger disclose share <disclosure>')");

  private Errors() {}

  static Report classify(Throwable t) {
    return classify(t, null);
  }

  /**
   * As {@link #classify(Throwable)}; {@code ledger}, if not null, says which ledger the command
   * used, and is added where a refusal may mean the wrong one was asked (an unknown account).
   */
  static Report classify(Throwable t, String ledger) {
    if (t instanceof CommandLine.ExecutionException ee && ee.getCause() != null) {
      t = ee.getCause();
    }
    if (t instanceof CliException c) {
      return new Report(c.exit(), c.code(), c.getMessage());
    }
    if (t instanceof CommandLine.ParameterException p) {
      CommandLine at = p.getCommandLine();
      String sub = at.getCommandSpec().qualifiedName();
      String message = p.getMessage();
      if (p.getArgSpec() instanceof CommandLine.Model.OptionSpec o && p.getValue() != null
          && WHOLE_NUMBERS.contains(o.type()) && p.getMessage().startsWith("Invalid value")) {
        message = o.longestName() + " takes a whole number, got '" + p.getValue() + "'";
      } else if (p instanceof CommandLine.MissingParameterException && !at.getUnmatchedArguments().isEmpty()) {
        // A mistyped option (pay --form alice) leaves a required one missing; the typo is the cause.
        message = unknownOptions(at);
      }
      return new Report(ExitCode.USAGE, "USAGE", message + " (see '" + sub + " --help')");
    }
    if (t instanceof LedgerCallException l) {
      return ledger(l, ledger);
    }
    if (t instanceof ClientRefusalException r) {
      // The SDK refused before sending anything (docs/client-sdk.md §3.3).
      return new Report(ExitCode.LOCAL, r.errorCode().name(), r.detail());
    }
    if (t instanceof RecordAccessDeniedException d) {
      return new Report(ExitCode.REFUSED, d.code(), "read denied; the denial is logged on the ledger [tx " + d.txId() + "]");
    }
    if (t instanceof RecordIntegrityException i) {
      return new Report(ExitCode.LOCAL, i.code(), stripCode(i.getMessage(), i.code()) + "; nothing was returned");
    }
    if (t instanceof CryptoException c) {
      // A crypto-core check on the client refused its input (e.g. GRANTEE_KEY_TOO_SMALL) before anything was sent.
      return new Report(ExitCode.LOCAL, c.code(), stripCode(c.getMessage(), c.code()));
    }
    if (t instanceof KeystoreException k) {
      return new Report(ExitCode.KEYSTORE, k.code().name(), stripCode(k.getMessage(), k.code().name()));
    }
    String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return new Report(ExitCode.INTERNAL, "INTERNAL", what + " (a bug in medledger; --verbose shows where)");
  }

  private static final java.util.Set<Class<?>> WHOLE_NUMBERS = java.util.Set.of(long.class, Long.class, int.class,
      Integer.class);

  /** Why a file could not be read, in words: "no such file", "permission denied", … */
  static String cause(java.io.IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** "Unknown option: '--form' (did you mean --from?)": the unmatched arguments that look like options. */
  private static String unknownOptions(CommandLine at) {
    java.util.List<String> unmatched = at.getUnmatchedArguments();
    java.util.List<String> options = unmatched.stream().filter(a -> a.startsWith("-")).toList();
    java.util.List<String> named = options.isEmpty() ? unmatched : options;
    java.util.List<String> suggestions = new CommandLine.UnmatchedArgumentException(at, named).getSuggestions();
    return (options.isEmpty() ? "Unknown argument" : "Unknown option") + (named.size() > 1 ? "s" : "") + ": '"
        + String.join("', '", named) + "'" + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
  }

  /** Refusals that may mean the command asked another ledger than the user meant. */
  private static final java.util.Set<String> WHICH_LEDGER = java.util.Set.of("UNKNOWN_ACCOUNT", "NOT_CONFIGURED",
      "NO_REGULATOR");

  private static Report ledger(LedgerCallException e, String ledger) {
    String detail = e.getMessage();
    int colon = detail.indexOf(": ");
    detail = (colon < 0 ? detail : detail.substring(colon + 2)).replaceFirst(" \\[(not committed|commit unknown[^\\]]*)\\]$", "");
    String tx = e.txId().isEmpty() ? "" : " [tx " + e.txId() + "]";
    switch (e.kind()) {
      case REFUSED -> {
        String code = e.errorCode().isEmpty() ? "REFUSED" : e.errorCode();
        String hint = HINTS.get(code);
        String which = ledger != null && WHICH_LEDGER.contains(code) ? " (asked the " + ledger + ")" : "";
        return new Report(ExitCode.REFUSED, code, "refused by the ledger: " + stripCode(detail, code) + tx + which
            + (hint == null ? "" : "; " + hint));
      }
      case REJECTED -> {
        return new Report(ExitCode.REFUSED, "REJECTED", "rejected by the network (" + e.errorCode() + "): " + detail
            + "; nothing was written" + tx);
      }
      case CONFLICT -> {
        return new Report(ExitCode.REFUSED, "CONFLICT", "the transaction was invalidated (" + e.errorCode()
            + ") because state it read had moved; nothing was written, run the command again" + tx);
      }
      default -> {
        String outcome = e.committed() == LedgerCallException.Committed.NO
            ? "; nothing was written, run the command again"
            : "; whether it committed is unknown: look for tx " + e.txId() + " (e.g. with 'medledger history') before trying again";
        return new Report(ExitCode.UNAVAILABLE, e.kind().name(), detail + outcome + (e.committed() == LedgerCallException.Committed.NO ? tx : ""));
      }
    }
  }

  /** "CODE: detail" → "detail". */
  private static String stripCode(String message, String code) {
    return message.startsWith(code + ": ") ? message.substring(code.length() + 2) : message;
  }

  /**
   * Prints the report (and, under --json, a JSON error object on stdout); returns the exit code.
   * {@code ledger} describes the ledger the command used, null if it opened none.
   */
  static int print(Throwable t, Env env, boolean json, boolean verbose, String ledger) {
    Report r = classify(t, ledger);
    env.err().println("medledger: error: " + r.code() + ": " + oneLine(r.message()));
    if (verbose) {
      t.printStackTrace(env.err());
    }
    env.err().flush();
    if (json) {
      JsonObject e = new JsonObject();
      e.addProperty("code", r.code());
      e.addProperty("exitCode", r.exit().code());
      e.addProperty("message", oneLine(r.message()));
      JsonObject o = new JsonObject();
      o.add("error", e);
      env.out().println(CanonicalJson.toString(o));
      env.out().flush();
    }
    return r.exit().code();
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
