package org.medledger.sdk;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.Checkpointer;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Commit;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A connection to the MedLedger chaincode through a Fabric gateway peer, as one organisation's
 * client identity over TLS (docs/client-sdk.md §4). Built from the test network's connection file
 * ({@link #connect(Path)}) or in code ({@link #builder()}).
 *
 * <p>A submission is endorsed, signed, sent to the orderer and waited for, each step under its own
 * deadline; every failure becomes a {@link LedgerCallException} that says whether the transaction
 * can be on the ledger and carries its id. Thread-safe: calls may run concurrently.
 */
public final class GatewayConnection implements LedgerConnection, LedgerEvents {
  /** Default deadline for an evaluation. */
  public static final Duration DEFAULT_EVALUATE_TIMEOUT = Duration.ofSeconds(10);
  /** Default deadline for collecting endorsements (a transfer's proofs are verified here). */
  public static final Duration DEFAULT_ENDORSE_TIMEOUT = Duration.ofSeconds(30);
  /** Default deadline for handing the transaction to the orderer. */
  public static final Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(10);
  /** Default deadline for waiting until the transaction is committed (or invalidated). */
  public static final Duration DEFAULT_COMMIT_STATUS_TIMEOUT = Duration.ofSeconds(60);

  private final Gateway gateway;
  private final ManagedChannel ownedChannel;
  private final Network network;
  private final Contract contract;
  private final String channel;
  private final String chaincode;
  private final Set<EventSubscription> subscriptions = new HashSet<>();
  private final X509Identity identity;
  private final List<String> organisations;
  private final Duration lookupTimeout;

  private GatewayConnection(Gateway gateway, ManagedChannel ownedChannel, String channel, String chaincode, X509Identity identity,
      List<String> organisations, Duration lookupTimeout) {
    this.gateway = gateway;
    this.identity = identity;
    this.organisations = organisations;
    this.lookupTimeout = lookupTimeout;
    this.ownedChannel = ownedChannel;
    this.channel = channel;
    this.chaincode = chaincode;
    this.network = gateway.getNetwork(channel);
    this.contract = network.getContract(chaincode);
  }

  /** Reads the connection file (see {@link GatewayMaterial}) and connects with the default deadlines. */
  public static GatewayConnection connect(Path connectionFile) throws GatewayMaterial.InvalidException {
    return builder().material(GatewayMaterial.read(connectionFile)).connect();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a connection: material (or an identity and an existing gRPC channel) and deadlines. */
  public static final class Builder {
    private GatewayMaterial material;
    private Channel grpcChannel;
    private X509Identity identity;
    private java.security.PrivateKey key;
    private String channel;
    private String chaincode;
    private Duration evaluate = DEFAULT_EVALUATE_TIMEOUT;
    private Duration endorse = DEFAULT_ENDORSE_TIMEOUT;
    private Duration submit = DEFAULT_SUBMIT_TIMEOUT;
    private Duration commitStatus = DEFAULT_COMMIT_STATUS_TIMEOUT;
    private List<String> organisations = List.of();

    private Builder() {}

    /**
     * The organisations whose peers may endorse (the channel's peer organisations). When the
     * gateway's own choice of endorsers fails only because some organisations' peers or chaincode
     * servers could not answer, the proposal is endorsed once more at once, by the other
     * organisations named here ({@link Proposal.Builder#setEndorsingOrganizations}). Empty (the
     * default): no such retry; {@link AccountClient} still retries after a pause.
     */
    public Builder organisations(String... mspIds) {
      List<String> l = List.of(mspIds);
      if (l.stream().anyMatch(String::isEmpty) || new HashSet<>(l).size() != l.size()) {
        throw new IllegalArgumentException("organisations must be distinct and non-empty");
      }
      this.organisations = l;
      return this;
    }

    /** The peer, TLS trust, identity, channel and chaincode, from a connection file or {@link GatewayMaterial#of}. */
    public Builder material(GatewayMaterial m) {
      this.material = Objects.requireNonNull(m, "material");
      this.identity = new X509Identity(m.mspId(), m.certificate());
      this.key = m.privateKey();
      this.channel = m.channel();
      this.chaincode = m.chaincode();
      return this;
    }

    /**
     * Uses an existing gRPC channel instead of opening one from the material (which then needs no
     * peer address); the connection does not close it. The identity, channel and chaincode still
     * come from {@link #material} or {@link #identity} and {@link #target}.
     */
    public Builder grpcChannel(Channel ch) {
      this.grpcChannel = Objects.requireNonNull(ch, "grpc channel");
      return this;
    }

    /** The client identity: organisation, X.509 certificate and its private key. */
    public Builder identity(String mspId, java.security.cert.X509Certificate certificate, java.security.PrivateKey privateKey) {
      this.identity = new X509Identity(mspId, certificate);
      this.key = Objects.requireNonNull(privateKey, "private key");
      return this;
    }

    /** The channel and chaincode to address. */
    public Builder target(String channelName, String chaincodeName) {
      this.channel = Objects.requireNonNull(channelName, "channel");
      this.chaincode = Objects.requireNonNull(chaincodeName, "chaincode");
      return this;
    }

    public Builder evaluateTimeout(Duration d) {
      this.evaluate = positive(d, "evaluate");
      return this;
    }

    public Builder endorseTimeout(Duration d) {
      this.endorse = positive(d, "endorse");
      return this;
    }

    public Builder submitTimeout(Duration d) {
      this.submit = positive(d, "submit");
      return this;
    }

    public Builder commitStatusTimeout(Duration d) {
      this.commitStatus = positive(d, "commit status");
      return this;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " timeout must be positive");
      }
      return d;
    }

    /** Opens the TLS channel (unless one was given) and the gateway. */
    public GatewayConnection connect() {
      if (identity == null || key == null) {
        throw new IllegalStateException("no identity: call material(…) or identity(…)");
      }
      if (channel == null || chaincode == null) {
        throw new IllegalStateException("no channel and chaincode: call material(…) or target(…)");
      }
      ManagedChannel owned = null;
      Channel ch = grpcChannel;
      if (ch == null) {
        if (material == null) {
          throw new IllegalStateException("no peer: call material(…) or grpcChannel(…)");
        }
        owned = open(material);
        ch = owned;
      }
      Gateway gw = Gateway.newInstance()
          .identity(identity)
          .signer(Signers.newPrivateKeySigner(key))
          .connection(ch)
          .evaluateOptions(deadline(evaluate))
          .endorseOptions(deadline(endorse))
          .submitOptions(deadline(submit))
          .commitStatusOptions(deadline(commitStatus))
          .connect();
      return new GatewayConnection(gw, owned, channel, chaincode, identity, organisations, evaluate);
    }

    private static UnaryOperator<CallOptions> deadline(Duration d) {
      long nanos = d.toNanos();
      return o -> o.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS);
    }

    private static ManagedChannel open(GatewayMaterial m) {
      ChannelCredentials tls;
      try {
        tls = TlsChannelCredentials.newBuilder().trustManager(m.tlsCaCert().toFile()).build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read TLS CA certificate " + m.tlsCaCert(), e);
      }
      return Grpc.newChannelBuilderForAddress(m.host(), m.port(), tls).overrideAuthority(m.hostOverride()).build();
    }
  }

  @Override
  public String submit(String function, String... args) throws LedgerCallException {
    Transaction endorsed = endorse(function, args);
    SubmittedTransaction submitted;
    try {
      submitted = endorsed.submitAsync();
    } catch (SubmitException e) {
      throw GatewayErrors.submit(e);
    }
    Status status;
    try {
      status = submitted.getStatus();
    } catch (CommitStatusException e) {
      throw GatewayErrors.commitStatus(e);
    }
    if (!status.isSuccessful()) {
      throw GatewayErrors.commit(status.getTransactionId(), status.getCode(), status.getBlockNumber());
    }
    return new String(submitted.getResult(), StandardCharsets.UTF_8);
  }

  /**
   * Endorses a proposal with the endorsers the gateway chooses. If that fails only because some
   * organisations' endorsers could not answer, and {@link Builder#organisations} names at least two
   * others, a new proposal is endorsed once by those others (nothing was sent to the orderer, so
   * nothing can be doubled). If that fails too, the first failure is thrown.
   */
  private Transaction endorse(String function, String... args) throws LedgerCallException {
    try {
      return contract.newProposal(function).addArguments(args).build().endorse();
    } catch (EndorseException e) {
      LedgerCallException mapped = GatewayErrors.endorse(e);
      Set<String> failed = GatewayErrors.failedOrganisations(e);
      List<String> others = organisations.stream().filter(o -> !failed.contains(o)).toList();
      if (mapped.kind() != LedgerCallException.Kind.UNAVAILABLE || failed.isEmpty() || others.size() < 2
          || others.size() == organisations.size()) {
        throw mapped;
      }
      try {
        return contract.newProposal(function).addArguments(args).setEndorsingOrganizations(others.toArray(String[]::new)).build()
            .endorse();
      } catch (EndorseException again) {
        // Reported as the first failure (nothing was sent either time), so that a caller's paced
        // retries still apply; the second one travels along.
        mapped.addSuppressed(GatewayErrors.endorse(again));
        throw mapped;
      }
    }
  }

  /**
   * Asks the gateway peer for the commit status of any transaction of this channel by id, waiting
   * at most the evaluation deadline: the validation code once it is in a block, empty if it is not
   * within that time (never ordered, or not yet committed).
   */
  @Override
  public Optional<String> commitStatus(String txId) throws LedgerCallException {
    CommitStatusRequest request = CommitStatusRequest.newBuilder().setChannelId(channel).setTransactionId(txId)
        .setIdentity(SerializedIdentity.newBuilder().setMspid(identity.getMspId())
            .setIdBytes(ByteString.copyFrom(identity.getCredentials())).build().toByteString())
        .build();
    Commit commit = gateway.newCommit(SignedCommitStatusRequest.newBuilder().setRequest(request.toByteString()).build().toByteArray());
    long nanos = lookupTimeout.toNanos();
    try {
      return Optional.of(commit.getStatus(o -> o.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)).getCode().name());
    } catch (CommitStatusException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
        return Optional.empty();
      }
      throw GatewayErrors.evaluate(txId, e);
    }
  }

  @Override
  public String evaluate(String function, String... args) throws LedgerCallException {
    Proposal proposal = contract.newProposal(function).addArguments(args).build();
    try {
      return new String(proposal.evaluate(), StandardCharsets.UTF_8);
    } catch (GatewayException e) {
      throw GatewayErrors.evaluate(proposal.getTransactionId(), e);
    }
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public String chaincode() {
    return chaincode;
  }

  /**
   * Streams the chaincode's events from the gateway peer. If the stream breaks (peer restarted,
   * network down), it is opened again from the checkpoint after a pause that grows from 0.25 s to
   * 10 s, until the subscription is closed.
   */
  @Override
  public EventSubscription subscribe(long startBlock, Checkpointer checkpointer, EventListener listener) {
    if (startBlock < 0) {
      throw new IllegalArgumentException("startBlock must not be negative");
    }
    EventSubscription s = EventPump.start(new StreamSource(startBlock, checkpointer), checkpointer, listener,
        "medledger-events-" + channel + "-" + chaincode);
    synchronized (subscriptions) {
      subscriptions.removeIf(old -> !old.isActive());
      subscriptions.add(s);
    }
    return s;
  }

  private final class StreamSource implements EventPump.Source {
    private static final long FIRST_PAUSE_MS = 250;
    private static final long MAX_PAUSE_MS = 10_000;
    private final long startBlock;
    private final Checkpointer checkpointer;
    private CloseableIterator<ChaincodeEvent> stream;
    private boolean stopped;

    StreamSource(long startBlock, Checkpointer checkpointer) {
      this.startBlock = startBlock;
      this.checkpointer = checkpointer;
    }

    @Override
    public MedLedgerEvent next() throws InterruptedException {
      long pause = FIRST_PAUSE_MS;
      while (true) {
        CloseableIterator<ChaincodeEvent> it = open();
        if (it == null) {
          return null;
        }
        try {
          if (it.hasNext()) {
            ChaincodeEvent e = it.next();
            return new MedLedgerEvent(e.getBlockNumber(), e.getTransactionId(), e.getEventName(), e.getPayload());
          }
          reset(); // the peer ended the stream: open it again from the checkpoint
        } catch (GatewayRuntimeException e) {
          reset();
          pause(pause);
          pause = Math.min(2 * pause, MAX_PAUSE_MS);
        }
      }
    }

    /** The current stream, opened from the checkpoint if there is none; null once stopped. */
    private synchronized CloseableIterator<ChaincodeEvent> open() {
      if (stopped) {
        return null;
      }
      if (stream == null) {
        stream = network.newChaincodeEventsRequest(chaincode).startBlock(startBlock).checkpoint(checkpointer).build().getEvents();
      }
      return stream;
    }

    private synchronized void reset() {
      if (stream != null) {
        stream.close();
        stream = null;
      }
    }

    private synchronized void pause(long ms) throws InterruptedException {
      if (!stopped) {
        wait(ms);
      }
    }

    @Override
    public synchronized void stop() {
      stopped = true;
      reset();
      notifyAll();
    }
  }

  /** Closes the subscriptions, the gateway and the gRPC channel it opened. */
  @Override
  public void close() {
    List<EventSubscription> open;
    synchronized (subscriptions) {
      open = List.copyOf(subscriptions);
      subscriptions.clear();
    }
    open.forEach(EventSubscription::close);
    gateway.close();
    if (ownedChannel != null) {
      ownedChannel.shutdownNow();
      try {
        ownedChannel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
