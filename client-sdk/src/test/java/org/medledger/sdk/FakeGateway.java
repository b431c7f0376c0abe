package org.medledger.sdk;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A Fabric gateway service for tests, served in-process or over TLS: it decodes and checks what the
 * client sends (channel, chaincode, function, arguments, creator, signature) and answers as a
 * test scripts it, with the status codes and error details a Fabric peer's gateway uses (see
 * {@link #chaincodeRefusal}). Events are kept per block and streamed as a peer does, from a start
 * block and after a transaction id, then live until the client cancels.
 */
final class FakeGateway extends GatewayGrpc.GatewayImplBase {
  /** A decoded, signature-checked proposal. */
  record Call(String txId, String channel, String chaincode, String mspId, String function, List<String> args) {}

  /** Answers a proposal with a result, or throws a StatusRuntimeException. */
  @FunctionalInterface
  interface Handler {
    byte[] answer(Call call) throws Exception;
  }

  @FunctionalInterface
  interface TxHandler {
    void answer(String txId) throws Exception;
  }

  @FunctionalInterface
  interface StatusHandler {
    CommitStatusResponse answer(String txId) throws Exception;
  }

  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final List<String> submitted = Collections.synchronizedList(new ArrayList<>());
  /** The endorsing organisations each endorse request named (empty: the gateway chooses). */
  final List<List<String>> endorsingOrganisations = Collections.synchronizedList(new ArrayList<>());
  /** The transaction ids of the commit status requests received. */
  final List<String> statusRequests = Collections.synchronizedList(new ArrayList<>());
  volatile Handler evaluate = c -> new byte[0];
  volatile Handler endorse = c -> new byte[0];
  volatile TxHandler submit = tx -> { };
  volatile StatusHandler commitStatus = tx -> valid(1);

  private final List<ChaincodeEventsResponse> blocks = new ArrayList<>();
  private final List<StreamObserver<ChaincodeEventsResponse>> streams = new ArrayList<>();
  private int eventRequests;

  static CommitStatusResponse valid(long block) {
    return CommitStatusResponse.newBuilder().setResult(TxValidationCode.VALID).setBlockNumber(block).build();
  }

  static CommitStatusResponse invalid(TxValidationCode code, long block) {
    return CommitStatusResponse.newBuilder().setResult(code).setBlockNumber(block).build();
  }

  /**
   * What a Fabric peer's gateway sends when the chaincode refuses: gRPC {@code code} with {@code
   * description}, and one ErrorDetail per endorser reading "chaincode response 500, &lt;message&gt;".
   */
  static StatusRuntimeException chaincodeRefusal(io.grpc.Status.Code code, String description, String chaincodeMessage) {
    return withDetails(code, description, "chaincode response 500, " + chaincodeMessage);
  }

  static StatusRuntimeException withDetails(io.grpc.Status.Code code, String description, String... detailMessages) {
    return withOrgDetails(code, description, "HospitalOrgMSP", detailMessages);
  }

  /** As {@link #withDetails}, each detail from a peer of organisation {@code mspId}. */
  static StatusRuntimeException withOrgDetails(io.grpc.Status.Code code, String description, String mspId, String... detailMessages) {
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(description);
    for (String m : detailMessages) {
      s.addDetails(Any.pack(ErrorDetail.newBuilder().setAddress("peer0." + mspId + ":7051").setMspId(mspId)
          .setMessage(m).build()));
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }

  @Override
  public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> out) {
    try {
      Call c = decode(request.getProposedTransaction());
      calls.add(c);
      byte[] result = evaluate.answer(c);
      out.onNext(EvaluateResponse.newBuilder()
          .setResult(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFrom(result))).build());
      out.onCompleted();
    } catch (Exception e) {
      fail(out, e);
    }
  }

  @Override
  public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> out) {
    try {
      Call c = decode(request.getProposedTransaction());
      calls.add(c);
      endorsingOrganisations.add(List.copyOf(request.getEndorsingOrganizationsList()));
      byte[] result = endorse.answer(c);
      Proposal p = Proposal.parseFrom(request.getProposedTransaction().getProposalBytes());
      out.onNext(EndorseResponse.newBuilder().setPreparedTransaction(prepared(p, result)).build());
      out.onCompleted();
    } catch (Exception e) {
      fail(out, e);
    }
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
    try {
      if (request.getPreparedTransaction().getSignature().isEmpty()) {
        throw io.grpc.Status.INVALID_ARGUMENT.withDescription("prepared transaction must be signed").asRuntimeException();
      }
      submit.answer(request.getTransactionId());
      submitted.add(request.getTransactionId());
      out.onNext(SubmitResponse.getDefaultInstance());
      out.onCompleted();
    } catch (Exception e) {
      fail(out, e);
    }
  }

  @Override
  public void commitStatus(SignedCommitStatusRequest request, StreamObserver<CommitStatusResponse> out) {
    try {
      CommitStatusRequest r = CommitStatusRequest.parseFrom(request.getRequest());
      if (request.getSignature().isEmpty()) {
        throw io.grpc.Status.INVALID_ARGUMENT.withDescription("commit status request must be signed").asRuntimeException();
      }
      statusRequests.add(r.getTransactionId());
      out.onNext(commitStatus.answer(r.getTransactionId()));
      out.onCompleted();
    } catch (Exception e) {
      fail(out, e);
    }
  }

  /** Appends a block with these events (block numbers must increase) and sends it to the open streams. */
  void publish(long block, ChaincodeEvent... events) {
    ChaincodeEventsResponse r = ChaincodeEventsResponse.newBuilder().setBlockNumber(block).addAllEvents(List.of(events)).build();
    synchronized (this) {
      blocks.add(r);
      notifyAll();
    }
  }

  static ChaincodeEvent event(String txId, String name, String payload) {
    return ChaincodeEvent.newBuilder().setChaincodeId("medledger").setTxId(txId).setEventName(name)
        .setPayload(ByteString.copyFromUtf8(payload)).build();
  }

  /** Ends every open event stream with UNAVAILABLE, as a peer that goes down does. */
  void breakStreams() {
    synchronized (this) {
      for (StreamObserver<ChaincodeEventsResponse> s : streams) {
        s.onError(io.grpc.Status.UNAVAILABLE.withDescription("peer went away").asRuntimeException());
      }
      streams.clear();
      notifyAll();
    }
  }

  synchronized int eventRequests() {
    return eventRequests;
  }

  @Override
  public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> out) {
    ChaincodeEventsRequest req;
    try {
      req = ChaincodeEventsRequest.parseFrom(signed.getRequest());
    } catch (InvalidProtocolBufferException e) {
      fail(out, e);
      return;
    }
    ServerCallStreamObserver<ChaincodeEventsResponse> call = (ServerCallStreamObserver<ChaincodeEventsResponse>) out;
    call.setOnCancelHandler(() -> {
      synchronized (this) {
        streams.remove(out);
        notifyAll();
      }
    });
    long start = req.getStartPosition().hasSpecified() ? req.getStartPosition().getSpecified().getNumber() : Long.MAX_VALUE;
    String after = req.getAfterTransactionId();
    boolean passed = after.isEmpty();
    int next = 0;
    synchronized (this) {
      eventRequests++;
      streams.add(out);
      if (start == Long.MAX_VALUE) {
        next = blocks.size(); // next commit
      }
      try {
        while (streams.contains(out) && !call.isCancelled()) {
          if (next == blocks.size()) {
            wait();
            continue;
          }
          ChaincodeEventsResponse r = blocks.get(next++);
          if (r.getBlockNumber() < start) {
            continue;
          }
          // As a Fabric peer: skip events up to and including the checkpointed transaction.
          List<ChaincodeEvent> send = new ArrayList<>();
          for (ChaincodeEvent e : r.getEventsList()) {
            if (!passed) {
              passed = e.getTxId().equals(after);
              continue;
            }
            send.add(e);
          }
          if (!send.isEmpty()) {
            out.onNext(r.toBuilder().clearEvents().addAllEvents(send).build());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void fail(StreamObserver<?> out, Exception e) {
    if (e instanceof StatusRuntimeException s) {
      out.onError(s);
    } else {
      out.onError(io.grpc.Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
    }
  }

  /** Decodes the proposal and checks its signature against the creator's certificate. */
  private static Call decode(SignedProposal sp) throws Exception {
    Proposal p = Proposal.parseFrom(sp.getProposalBytes());
    Header h = Header.parseFrom(p.getHeader());
    ChannelHeader ch = ChannelHeader.parseFrom(h.getChannelHeader());
    SerializedIdentity creator = SerializedIdentity.parseFrom(SignatureHeader.parseFrom(h.getSignatureHeader()).getCreator());
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(creator.getIdBytes().toByteArray()));
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(cert.getPublicKey());
    v.update(sp.getProposalBytes().toByteArray());
    if (!v.verify(sp.getSignature().toByteArray())) {
      throw io.grpc.Status.PERMISSION_DENIED.withDescription("bad proposal signature").asRuntimeException();
    }
    ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.parseFrom(ChaincodeProposalPayload.parseFrom(p.getPayload()).getInput());
    List<String> args = new ArrayList<>();
    spec.getChaincodeSpec().getInput().getArgsList().forEach(a -> args.add(a.toString(StandardCharsets.UTF_8)));
    return new Call(ch.getTxId(), ch.getChannelId(), spec.getChaincodeSpec().getChaincodeId().getName(), creator.getMspid(),
        args.get(0), List.copyOf(args.subList(1, args.size())));
  }

  /** The transaction envelope a gateway returns after endorsement, carrying the chaincode's result. */
  private static Envelope prepared(Proposal p, byte[] result) {
    Header h;
    try {
      h = Header.parseFrom(p.getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    ChaincodeAction action = ChaincodeAction.newBuilder()
        .setResponse(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFrom(result))).build();
    ProposalResponsePayload prp = ProposalResponsePayload.newBuilder().setExtension(action.toByteString()).build();
    ChaincodeActionPayload cap = ChaincodeActionPayload.newBuilder()
        .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(prp.toByteString())).build();
    org.hyperledger.fabric.protos.peer.Transaction tx = org.hyperledger.fabric.protos.peer.Transaction.newBuilder()
        .addActions(TransactionAction.newBuilder().setHeader(h.getSignatureHeader()).setPayload(cap.toByteString())).build();
    Payload payload = Payload.newBuilder().setHeader(h).setData(tx.toByteString()).build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build();
  }
}
