package org.medledger.cli;

import picocli.CommandLine.Option;

/** A {@link Query} by one local account, {@code --account}: its balance, its history, its claims or grants. */
abstract class AccountQuery extends Query {
  @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account.")
  String name;
}
