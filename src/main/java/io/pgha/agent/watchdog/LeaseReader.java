package io.pgha.agent.watchdog;

/** Reads how long an etcd lease has left. */
interface LeaseReader {

    /** Throws when etcd does not answer within the bound; a lease that is gone reads as 0 left. */
    WatchdogFacts.LeaseSeen read(long lease) throws Exception;
}
