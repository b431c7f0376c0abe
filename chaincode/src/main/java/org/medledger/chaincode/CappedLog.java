package org.medledger.chaincode;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Caps every log record the chaincode service writes (its own and the Fabric shim's): a record's
 * message is cut to {@value #MAX_MESSAGE_CHARS} characters and its formatted text (with any stack
 * trace) to {@value #MAX_RECORD_CHARS}, so that no input, however large, can make the log grow by
 * more than that per record.
 */
final class CappedLog {
  static final int MAX_MESSAGE_CHARS = 2048;
  static final int MAX_RECORD_CHARS = 8192;

  private CappedLog() {}

  /** Wraps the formatter of every handler of the root logger (the handlers the shim configured). */
  static void install() {
    for (Handler h : Logger.getLogger("").getHandlers()) {
      if (!(h.getFormatter() instanceof Capping)) {
        h.setFormatter(new Capping(h.getFormatter() == null ? new SimpleFormatter() : h.getFormatter()));
      }
    }
  }

  /** A formatter that cuts what {@code inner} would write. */
  static final class Capping extends Formatter {
    private final Formatter inner;

    Capping(Formatter inner) {
      this.inner = inner;
    }

    @Override
    public String format(LogRecord r) {
      String m = r.getMessage();
      if (m != null && m.length() > MAX_MESSAGE_CHARS) {
        r.setMessage(m.substring(0, MAX_MESSAGE_CHARS) + "…(" + (m.length() - MAX_MESSAGE_CHARS) + " more characters)");
      }
      String out = inner.format(r);
      if (out.length() > MAX_RECORD_CHARS) {
        out = out.substring(0, MAX_RECORD_CHARS) + "…(" + (out.length() - MAX_RECORD_CHARS) + " more characters)"
            + System.lineSeparator();
      }
      return out;
    }
  }
}
