package org.medledger.chaincode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Runs the MedLedger contracts as a Fabric chaincode server ("chaincode as a service"): the peer
 * dials this process instead of launching a container. Fabric's {@link ContractRouter} finds the
 * {@code @Contract} classes ({@code accounts}, {@code money}, {@code records}, {@code channels}) on the class path and routes
 * {@code contract:function} to them, as it does for a packaged Java chaincode; {@link GuardedChaincode}
 * runs MedLedger's entry check in front of it and caps what is logged.
 *
 * <p>Configured by the shim's environment variables: {@code CHAINCODE_SERVER_ADDRESS}
 * ({@code host:port}, which must be a loopback address) and {@code CORE_CHAINCODE_ID_NAME} (the
 * package id the peer installed). {@code CORE_PEER_TLS_ENABLED=true} with
 * {@code CORE_TLS_CLIENT_KEY_FILE} and {@code CORE_TLS_CLIENT_CERT_FILE} turns on TLS, as the shim
 * defines it. docs/test-network.md shows how the test network starts it.
 */
public final class ChaincodeService {
  static final String ADDRESS_VARIABLE = "CHAINCODE_SERVER_ADDRESS";
  static final String ID_VARIABLE = "CORE_CHAINCODE_ID_NAME";
  /** Warm-up rounds at start ({@link Warmup#ROUNDS} when unset, 0 for none). */
  static final String WARMUP_VARIABLE = "MEDLEDGER_WARMUP_ROUNDS";

  private ChaincodeService() {}

  public static void main(String[] args) throws Exception {
    int warmUpRounds;
    try {
      checkEnvironment(System.getenv());
      warmUpRounds = warmUpRounds(System.getenv(WARMUP_VARIABLE));
    } catch (IllegalArgumentException e) {
      System.err.println("medledger chaincode service: " + e.getMessage());
      System.exit(2);
      return;
    }
    GuardedChaincode chaincode = new GuardedChaincode(args);
    ChaincodeServer netty = new NettyChaincodeServer(chaincode, chaincode.getChaincodeServerConfig());
    // Scans the contracts, builds their metadata, then starts the server, which warms up first
    // (the router can route only once it has scanned) and then serves until the JVM is stopped.
    chaincode.start(new ChaincodeServer() {
      @Override
      public void start() throws IOException, InterruptedException {
        warmUp(warmUpRounds, chaincode);
        netty.start();
      }

      @Override
      public void stop() {
        netty.stop();
      }
    });
  }

  /** The warm-up rounds {@code value} asks for: {@link Warmup#ROUNDS} when unset, 0 for none, at most 10000. */
  static int warmUpRounds(String value) {
    if (value == null || value.isBlank()) {
      return Warmup.ROUNDS;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(WARMUP_VARIABLE + "=" + value + " is not a number", e);
    }
    if (n < 0 || n > 10_000) {
      throw new IllegalArgumentException(WARMUP_VARIABLE + "=" + value + " is outside 0..10000");
    }
    return n;
  }

  /**
   * Replays the built-in sample transfer and batch through {@code chaincode} for {@code rounds}
   * rounds before the server listens, so that the first proposals do not run while the JIT
   * compiles (docs/chaincode.md §1, {@link Warmup}). Outside any transaction; no randomness.
   */
  static Warmup.Counts warmUp(int rounds, Chaincode chaincode) {
    if (rounds == 0) {
      return new Warmup.Counts(0, 0, 0);
    }
    long start = System.nanoTime();
    Warmup.Counts c = Warmup.run(rounds, chaincode);
    System.err.printf("medledger chaincode service: warm-up ran %d sample transfers and %d sample batches"
        + " (%d failed) in %d ms%n", c.transfers(), c.batches(), c.failed(), (System.nanoTime() - start) / 1_000_000);
    return c;
  }

  /**
   * Checks the variables the service needs before the shim reads them: a chaincode id, and a
   * server address on a loopback interface (the test network listens on 127.0.0.1 only).
   */
  static InetSocketAddress checkEnvironment(Map<String, String> env) {
    String id = env.get(ID_VARIABLE);
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(ID_VARIABLE + " must name the installed package id (label:hash)");
    }
    return loopbackAddress(env.get(ADDRESS_VARIABLE));
  }

  /** Parses {@code host:port} where host is a loopback IP literal and port is in 1..65535. */
  static InetSocketAddress loopbackAddress(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException(ADDRESS_VARIABLE + " must be set to host:port, e.g. 127.0.0.1:9999");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(ADDRESS_VARIABLE + "=" + address + " is not host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(ADDRESS_VARIABLE + "=" + address + ": write an IPv6 address in brackets, [::1]:port");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ADDRESS_VARIABLE + "=" + address + " has no numeric port", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(ADDRESS_VARIABLE + "=" + address + ": port outside 1..65535");
    }
    // Only IP literals, so that nothing is looked up: a dotted quad in 127.0.0.0/8, or ::1.
    if (!isLoopbackLiteral(host)) {
      throw new IllegalArgumentException(ADDRESS_VARIABLE + "=" + address
          + ": the chaincode server listens on a loopback IP literal only, e.g. 127.0.0.1");
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a checked IP literal did not parse: " + host, e);
    }
    return new InetSocketAddress(ip, port);
  }

  private static boolean isLoopbackLiteral(String host) {
    if (host.equals("::1")) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
