package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.channel.ChannelClient;

/**
 * The control connection between the one-shot channel commands and {@code channel serve}
 * (docs/cli.md §4 channel): one canonical JSON request line, one reply line, over 127.0.0.1. A
 * request carries the token from the server's owner-only port file, so only someone who can read
 * that file (the home's owner) can ask the server to open a channel. The payment states
 * themselves go over client-sdk's authenticated channel link, not here.
 */
final class ChannelControl {
  /** At most this many bytes in one request or reply line. */
  static final int MAX_LINE = 64 * 1024;
  private static final int TIMEOUT_MS = 120_000;

  /** Handles one request of the server (the token already checked); throws to refuse it. */
  interface Handler {
    JsonObject handle(JsonObject request) throws Exception;
  }

  private ChannelControl() {}

  /** Sends {@code request} to the server and returns its reply; a refusal comes back as the server's error. */
  static JsonObject call(ChannelFiles.Serving peer, JsonObject request) throws CliException {
    JsonObject r = request.deepCopy();
    r.addProperty("token", peer.token());
    JsonObject reply;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.controlPort()), 5_000);
      s.setSoTimeout(TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write((CanonicalJson.toString(r) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String line = readLine(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
      if (line == null) {
        throw new IOException("the connection closed without a reply");
      }
      reply = CanonicalJson.parseObject(line);
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "PEER_UNAVAILABLE", "the peer '" + peer.name() + "' (port file "
          + peer.portFile() + ") did not answer: " + Errors.oneLine(String.valueOf(e.getMessage())), e);
    }
    if (reply.has("error")) {
      JsonObject e = reply.getAsJsonObject("error");
      ExitCode exit = ExitCode.valueOf(e.get("exit").getAsString());
      throw new CliException(exit, e.get("code").getAsString(), "the peer '" + peer.name() + "' refused: "
          + e.get("message").getAsString());
    }
    return reply;
  }

  /** Serves requests on {@code socket}, one at a time, until it is closed. */
  static void serve(ServerSocket socket, String token, Handler handler) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        s.setSoTimeout(10_000);
        JsonObject reply;
        try {
          String line = readLine(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
          JsonObject req = CanonicalJson.parseObject(line == null ? "" : line);
          byte[] given = req.has("token") ? req.get("token").getAsString().getBytes(StandardCharsets.UTF_8) : new byte[0];
          if (!MessageDigest.isEqual(expected, given)) {
            throw CliException.local("BAD_TOKEN", "the request does not carry this server's token");
          }
          s.setSoTimeout(0);
          reply = handler.handle(req);
        } catch (Exception e) {
          Errors.Report rep = Errors.classify(e);
          JsonObject err = new JsonObject();
          err.addProperty("code", rep.code());
          err.addProperty("exit", rep.exit().name());
          err.addProperty("message", rep.message());
          reply = new JsonObject();
          reply.add("error", err);
        }
        OutputStream out = s.getOutputStream();
        out.write((CanonicalJson.toString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // A client that went away; the next one is served.
      }
    }
  }

  private static String readLine(BufferedReader in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (b.length() >= MAX_LINE) {
        throw new IOException("line longer than " + MAX_LINE + " bytes");
      }
      b.append((char) c);
    }
    return c == -1 && b.length() == 0 ? null : b.toString();
  }

  static JsonObject terms(ChannelClient.Terms t) {
    JsonObject o = new JsonObject();
    o.addProperty("channelId", t.channelId());
    o.addProperty("partyA", t.partyA());
    o.addProperty("partyB", t.partyB());
    o.addProperty("windowSeconds", t.windowSeconds());
    o.addProperty("depth", t.depth());
    o.addProperty("saltKey", HexFormat.of().formatHex(t.saltKey()));
    return o;
  }

  static ChannelClient.Terms terms(JsonObject o) throws CliException {
    try {
      String id = ChannelFiles.channelId(o.get("channelId").getAsString());
      byte[] salt = HexFormat.of().parseHex(o.get("saltKey").getAsString());
      if (salt.length != 32) {
        throw CliException.usage("the salt key must be 32 bytes");
      }
      return new ChannelClient.Terms(id, o.get("partyA").getAsString(), o.get("partyB").getAsString(),
          o.get("windowSeconds").getAsLong(), o.get("depth").getAsInt(), salt);
    } catch (RuntimeException e) {
      throw CliException.usage("malformed channel terms: " + Errors.oneLine(String.valueOf(e.getMessage())));
    }
  }
}
