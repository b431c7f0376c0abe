package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;

/**
 * Typed access to world state for one transaction (docs/chaincode.md §4). Every key is a Fabric
 * composite key under one of the object types below; every value is canonical JSON.
 */
final class Ledger {
  static final String CONFIG = "config";
  static final String ACCOUNT = "account";
  static final String REGULATOR = "regulator";
  static final String BALANCE = "balance";
  static final String CREDIT = "credit";
  static final String TX = "tx";
  static final String HISTORY = "hist";
  static final String ALL_TX = "alltx";
  static final String SUPPLY = "supply";
  static final String NONCE = "nonce";
  /** (payer, nonce) → the id of the transfer record that used the nonce. */
  static final String SPENT = "spent";

  private final Context ctx;
  private final ChaincodeStub stub;

  Ledger(Context ctx) {
    this.ctx = ctx;
    this.stub = ctx.getStub();
  }

  ChaincodeStub stub() {
    return stub;
  }

  String callerMsp() {
    return ctx.getClientIdentity().getMSPID();
  }

  String txId() {
    return stub.getTxId();
  }

  Instant timestamp() {
    return stub.getTxTimestamp();
  }

  /** The composite key; every part is checked first ({@link Ids#checkKeyPart}), so none throws in Fabric. */
  String key(String type, String... attrs) {
    Ids.checkKeyPart(type);
    for (String a : attrs) {
      Ids.checkKeyPart(a);
    }
    return stub.createCompositeKey(type, attrs).toString();
  }

  JsonObject get(String key) {
    byte[] v = stub.getState(key);
    if (v == null || v.length == 0) {
      return null;
    }
    return CanonicalJson.parseObject(new String(v, StandardCharsets.UTF_8));
  }

  void put(String key, JsonObject value) {
    stub.putState(key, CanonicalJson.toBytes(value));
  }

  void delete(String key) {
    stub.delState(key);
  }

  ChannelConfig config() {
    byte[] v = stub.getState(key(CONFIG));
    if (v == null || v.length == 0) {
      throw LedgerException.of(ErrorCode.NOT_CONFIGURED, "call accounts:configure first");
    }
    return ChannelConfig.parse(new String(v, StandardCharsets.UTF_8));
  }

  Account account(String id) {
    Ids.check("account", id);
    JsonObject o = get(key(ACCOUNT, id));
    if (o == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_ACCOUNT, id);
    }
    return Account.fromJson(o);
  }

  boolean accountExists(String id) {
    Ids.check("account", id);
    byte[] v = stub.getState(key(ACCOUNT, id));
    return v != null && v.length > 0;
  }

  void save(Account a) {
    put(key(ACCOUNT, a.id()), a.toJson());
  }

  /** The account's next expected nonce. */
  long nonce(String accountId) {
    JsonObject o = get(key(NONCE, accountId));
    return o == null ? 0 : o.get("next").getAsLong();
  }

  void setNonce(String accountId, long next) {
    JsonObject o = new JsonObject();
    o.addProperty("next", next);
    put(key(NONCE, accountId), o);
  }

  /** Consumes the nonce a request carried: the account's next nonce becomes {@code used + 1}. */
  void consumeNonce(String accountId, long used) {
    setNonce(accountId, used + 1);
  }

  /** One page of a partial composite key range: values, and the bookmark to continue from. */
  record Page(List<JsonObject> items, String bookmark) {}

  /**
   * One page of the range under the partial composite key (type, attrs…), from the caller's
   * opaque bookmark on (see {@link Paging}: the start key is always inside this range).
   */
  Page page(String type, String[] attrs, int pageSize, String bookmark) {
    if (pageSize < 1 || pageSize > Paging.MAX_PAGE) {
      throw LedgerException.of(ErrorCode.BAD_PAGE, "page size must be 1.." + Paging.MAX_PAGE);
    }
    CompositeKey partial = stub.createCompositeKey(type, attrs);
    String prefix = partial.toString();
    String start = Paging.startKey(prefix, bookmark);
    List<JsonObject> out = new ArrayList<>();
    String next;
    try (QueryResultsIteratorWithMetadata<KeyValue> it =
        stub.getStateByPartialCompositeKeyWithPagination(partial, pageSize, start.equals(prefix) ? "" : start)) {
      for (KeyValue kv : it) {
        out.add(CanonicalJson.parseObject(kv.getStringValue()));
      }
      next = it.getMetadata().getBookmark();
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
    return new Page(out, Paging.bookmark(prefix, next));
  }

  /** Every value under a partial composite key, at most {@code limit} of them. */
  List<KeyValue> scan(String type, String[] attrs, int limit) {
    List<KeyValue> out = new ArrayList<>();
    try (QueryResultsIterator<KeyValue> it = stub.getStateByPartialCompositeKey(type, attrs)) {
      for (KeyValue kv : it) {
        if (out.size() == limit) {
          break;
        }
        out.add(kv);
      }
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
    return out;
  }

}
