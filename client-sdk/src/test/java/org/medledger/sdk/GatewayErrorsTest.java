package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.junit.jupiter.api.Test;

/** Finding the chaincode's error code in what a Fabric gateway reports. */
class GatewayErrorsTest {
  private static ErrorDetail detail(String message) {
    return ErrorDetail.newBuilder().setAddress("peer0:7051").setMspId("HospitalOrgMSP").setMessage(message).build();
  }

  @Test
  void theCodeComesFromAnEndorsersDetail() {
    Optional<GatewayErrors.Refusal> r = GatewayErrors.chaincodeRefusal(Status.ABORTED.withDescription("failed to endorse"),
        List.of(detail("chaincode response 500, TRANSFER_PROOF_INVALID: range proof failed")));
    assertEquals("TRANSFER_PROOF_INVALID", r.orElseThrow().code());
    assertEquals("TRANSFER_PROOF_INVALID: range proof failed", r.orElseThrow().message());
  }

  @Test
  void orFromTheStatusDescriptionWhenThereAreNoDetails() {
    Optional<GatewayErrors.Refusal> r = GatewayErrors.chaincodeRefusal(
        Status.UNKNOWN.withDescription("evaluate call to endorser returned error: chaincode response 500, BAD_PAGE: page size must be 1..100"),
        List.of());
    assertEquals("BAD_PAGE", r.orElseThrow().code());
  }

  @Test
  void theFirstEndorserWithAMedLedgerCodeWins() {
    Optional<GatewayErrors.Refusal> r = GatewayErrors.chaincodeRefusal(Status.ABORTED,
        List.of(detail("rpc error: connection refused"), detail("chaincode response 500, Unexpected error"),
            detail("chaincode response 500, WRONG_ROLE: a PATIENT, not a REGULATOR")));
    assertEquals("WRONG_ROLE", r.orElseThrow().code());
  }

  @Test
  void wordsThatOnlyLookLikeCodesAreNotCodes() {
    for (String m : new String[] {"chaincode response 500, SOMETHING_ELSE: no", "chaincode response 500, Unexpected error",
        "endorser says BAD_NONCE: in the middle", "chaincode response 500, bad_nonce: lower case"}) {
      assertTrue(GatewayErrors.chaincodeRefusal(Status.ABORTED, List.of(detail(m))).isEmpty(), m);
    }
  }

  @Test
  void refusedConflictAndRejectedCanNeverClaimAnUnknownCommit() {
    for (LedgerCallException.Kind k : new LedgerCallException.Kind[] {LedgerCallException.Kind.REFUSED,
        LedgerCallException.Kind.REJECTED, LedgerCallException.Kind.CONFLICT}) {
      assertThrows(IllegalArgumentException.class,
          () -> new LedgerCallException(k, "", "tx", LedgerCallException.Committed.UNKNOWN, "m"));
    }
  }
}
