package dev.weir.iptables.render;

import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * One ipset as it should exist in the kernel: name (at most 31 characters), type, family and members. Members are
 * written exactly as {@code ipset add NAME <member>} takes them ({@code 10.0.0.1}, {@code 10.0.0.0/8},
 * {@code 10.0.1.0/24 nomatch}, {@code 10.0.0.1,tcp:80}) and kept sorted, so equal sets render identically.
 */
public record IpSetSpec(String name, Type type, IpFamily family, List<String> members) {

    /** ipset's own limit on set names (IPSET_MAXNAMELEN - 1). */
    public static final int MAX_NAME_LENGTH = 31;

    public IpSetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(family, "family");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("ipset name \"" + name + "\" must be 1-31 characters");
        }
        members = SortedMembers.of(members);
    }

    /** The ipset types weir uses. */
    public enum Type {
        HASH_IP("hash:ip"), HASH_NET("hash:net"), HASH_IP_PORT("hash:ip,port"),
        /** An ordered union of other sets: its members are set names ({@code weir-u…}, see {@code SetCatalog#union}). */
        LIST_SET("list:set");

        private final String ipsetName;

        Type(String ipsetName) {
            this.ipsetName = ipsetName;
        }

        /** As {@code ipset create} spells it. */
        public String ipsetName() {
            return ipsetName;
        }
    }
}
