package dev.weir.graph;

import dev.weir.model.Peer;
import java.util.Objects;

/** An ipBlock peer (CIDR minus excepts), shared by every rule that writes the same block. */
public record IpBlockSet(Peer.IpBlock block) {

    public IpBlockSet {
        Objects.requireNonNull(block, "block");
    }

    /** Canonical text: {@code 10.0.0.0/16 except 10.0.1.0/24,10.0.2.0/24}. */
    public String canonical() {
        return block.cidr() + (block.except().isEmpty() ? ""
                : " except " + String.join(",", block.except().stream().map(Object::toString).toList()));
    }

    public String id() {
        return Ids.hash("b", canonical());
    }
}
