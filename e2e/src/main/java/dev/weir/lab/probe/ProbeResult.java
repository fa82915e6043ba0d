package dev.weir.lab.probe;

import dev.weir.model.Protocol;

/**
 * One probed cell: did a packet from {@code from} to {@code to}:{@code port}/{@code protocol} get an answer from the
 * right pod. {@code detail} says what happened ("answered by x/b in 3 ms", "timed out twice", "refused").
 */
public record ProbeResult(String from, String to, int port, Protocol protocol, boolean allowed, String detail,
        int attempts) {
}
