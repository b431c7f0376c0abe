package org.medledger.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs the demo's independent work (key generation, registrations) on a few threads. */
final class Parallel {
  private Parallel() {}

  @FunctionalInterface
  interface Task<T> {
    T run(int index) throws Exception;
  }

  /** As many threads as cores, at most {@code count}. */
  static int threads(int count) {
    return Math.max(1, Math.min(count, Runtime.getRuntime().availableProcessors()));
  }

  /** Runs {@code count} tasks on {@code threads} threads; results in index order; the first failure is thrown. */
  static <T> List<T> run(int threads, int count, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.run(index)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception ex) {
            throw ex;
          }
          throw e;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
