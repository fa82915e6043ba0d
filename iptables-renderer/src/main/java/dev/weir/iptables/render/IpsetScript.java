package dev.weir.iptables.render;

import dev.weir.model.IpFamily;
import java.util.Collection;
import java.util.List;

/**
 * The one writer of {@code ipset restore} input: {@code weir render} prints it, the golden files hold it and the
 * applier sends it. Sizes are fixed so that {@code create … -exist} of an existing set never meets different options
 * (which ipset refuses). A set is changed in one of two ways: filled into a scratch set of the same type and swapped
 * in ({@link #refill}), so a packet sees the old or the new membership, never a half-filled set; or, when a few of its
 * members changed, by deleting and adding just those ({@link #update}), which costs what the change costs rather than
 * what the set holds.
 */
public final class IpsetScript {

    /** Initial bucket count; hash sets grow on their own. */
    public static final int HASHSIZE = 1024;
    /** The hard member limit. Memory is allocated per member, not per maxelem. */
    public static final int MAXELEM = 1_048_576;

    private final StringBuilder text = new StringBuilder();

    /** An empty script. */
    public static IpsetScript restore() {
        return new IpsetScript();
    }

    /** Creates each set if missing, flushes it, adds its members, as the applier does in a namespace without them. */
    public static String install(List<IpSetSpec> sets) {
        return restore().create(sets).text();
    }

    /** After it each set exists and holds exactly its members (flushed and filled in place). */
    public IpsetScript create(Collection<IpSetSpec> sets) {
        sets.forEach(s -> fill(s.name(), s));
        return this;
    }

    /** Fills each set's scratch set ({@link Names#tempSet}) and swaps it in, atomically for packets. */
    public IpsetScript refill(Collection<IpSetSpec> sets) {
        for (IpSetSpec s : sets) {
            String tmp = Names.tempSet(s.name());
            fill(tmp, s);
            text.append("swap ").append(tmp).append(' ').append(s.name()).append('\n');
            text.append("destroy ").append(tmp).append('\n');
        }
        return this;
    }

    /**
     * Deletes {@code removed} from the existing set {@code name} and adds {@code added} to it, each with
     * {@code -exist}, so a member already gone or already there is no error (the kernel may have been changed behind
     * weir's back). Deletes come first and name only the element (ipset refuses options such as {@code nomatch} on
     * {@code del}): a member whose options change is deleted and added again, and an add of the same element
     * afterwards is not undone.
     */
    public IpsetScript update(String name, Collection<String> removed, Collection<String> added) {
        for (String m : removed) {
            int options = m.indexOf(' ');
            text.append("del ").append(name).append(' ').append(options < 0 ? m : m.substring(0, options))
                    .append(" -exist\n");
        }
        added.forEach(m -> text.append("add ").append(name).append(' ').append(m).append(" -exist\n"));
        return this;
    }

    /** Destroys the sets; no rule may refer to them any more. */
    public IpsetScript destroy(Collection<String> names) {
        names.forEach(n -> text.append("destroy ").append(n).append('\n'));
        return this;
    }

    public String text() {
        return text.toString();
    }

    /** ipset's word for a family: {@code inet} or {@code inet6}. */
    public static String familyWord(IpFamily family) {
        return family == IpFamily.V4 ? "inet" : "inet6";
    }

    /**
     * The family {@code ipset save} reads back for {@code spec}: a list:set has none (it holds sets of either family),
     * and a save without one reads as {@code inet}.
     */
    public static String familyWord(IpSetSpec spec) {
        return spec.type() == IpSetSpec.Type.LIST_SET ? "inet" : familyWord(spec.family());
    }

    private void fill(String name, IpSetSpec spec) {
        if (spec.type() == IpSetSpec.Type.LIST_SET) {
            // no family, no sizes (a list's size is ignored since ipset 6.24); its member sets exist already: the
            // sets are created in name order and weir-u… sorts after every other kind
            text.append("create ").append(name).append(" list:set -exist\n");
        } else {
            text.append("create ").append(name).append(' ').append(spec.type().ipsetName()).append(" family ")
                    .append(familyWord(spec.family())).append(" hashsize ").append(HASHSIZE).append(" maxelem ")
                    .append(MAXELEM).append(" -exist\n");
        }
        text.append("flush ").append(name).append('\n');
        spec.members().forEach(m -> text.append("add ").append(name).append(' ').append(m).append('\n'));
    }
}
