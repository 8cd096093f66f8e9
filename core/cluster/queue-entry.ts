/**
 * A pod's entry in kube-scheduler's queue, as the cluster's records hold it (data only: the
 * queue's rules — backoff, flushes, order — are the scheduler's, in scheduler/queue.ts).
 */

export type QueuePool = "active" | "backoff" | "unschedulable";

export interface QueuedPod {
  /** Where the last event put the pod; time may have moved it on (see `queueStatus`). */
  readonly pool: QueuePool;
  /** Tick of creation or of the last failed attempt (`QueuedPodInfo.Timestamp`). */
  readonly timestamp: number;
  /** `seq` of the event that set `timestamp`: the FIFO tie-break among equal timestamps. */
  readonly order: number;
  /** The pod's priority, copied here so the queue orders without looking the pod up. */
  readonly priority: number;
  /** Scheduling attempts so far. */
  readonly attempts: number;
  /** Attempts that ended Unschedulable; backoff grows with it. */
  readonly unschedulableCount: number;
  /** The plugins that rejected the last attempt. */
  readonly plugins: readonly string[];
  /**
   * The last attempt ended in an error rather than a verdict (e.g. "no nodes available to
   * schedule pods"): kube keeps such pods in a separate error backoff queue, never popped early.
   */
  readonly error: boolean;
}
