package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.Names;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A weir ipset as the kernel has it. {@code members} is null when only the name is known ({@code ipset list -n});
 * otherwise they are normalised the way {@code ipset save} prints them (no {@code /32} or {@code /128}), sorted.
 */
record InstalledSet(String name, String type, String family, List<String> members, IpSetSpec applied) {

    InstalledSet {
        members = members == null ? null : normalise(members, family);
    }

    InstalledSet(String name, String type, String family, List<String> members) {
        this(name, type, family, members, null);
    }

    static InstalledSet nameOnly(String name) {
        return new InstalledSet(name, null, null, null);
    }

    /**
     * The set as weir just applied it. Comparing against the applied spec itself is a list equality, which keeps a
     * membership-only apply against 30,000 cached members well under a millisecond.
     */
    static InstalledSet of(IpSetSpec spec) {
        return new InstalledSet(spec.name(), spec.type().ipsetName(), IpsetScript.familyWord(spec), List.of(), spec);
    }

    @Override
    public List<String> members() {
        return applied != null ? wanted(applied, family) : members;
    }

    boolean contentKnown() {
        return members != null;
    }

    /** Same type, family and members (only meaningful when the content is known). */
    boolean matches(IpSetSpec spec) {
        if (applied != null) {
            return applied.equals(spec);
        }
        return contentKnown()
                && spec.type().ipsetName().equals(type)
                && IpsetScript.familyWord(spec).equals(family)
                && wanted(spec, family).equals(members);
    }

    /**
     * How this set, read with its content, differs from {@code spec}: {@code "(-1 +2)"} for one wanted member missing
     * and two members weir never added, {@code "(hash:net inet)"} for another type or family; null when it matches.
     */
    String differenceFrom(IpSetSpec spec) {
        if (!contentKnown()) {
            throw new IllegalStateException("content of set " + name + " must be read before comparing");
        }
        if (!swappableWith(spec)) {
            return "(" + type + " " + family + ")";
        }
        if (matches(spec)) {
            return null;
        }
        Set<String> have = new HashSet<>(members());
        Set<String> want = new HashSet<>(wanted(spec, family));
        long missing = want.stream().filter(m -> !have.contains(m)).count();
        long foreign = have.stream().filter(m -> !want.contains(m)).count();
        return "(-" + missing + " +" + foreign + ")";
    }

    /** Whether {@code spec} can be swapped with this set (ipset swaps only sets of the same type and family). */
    boolean swappableWith(IpSetSpec spec) {
        return !contentKnown() || (spec.type().ipsetName().equals(type) && IpsetScript.familyWord(spec).equals(family));
    }

    /** Parses {@code ipset save} output (any sets; only weir ones are kept). */
    static Map<String, InstalledSet> parseSave(String save) {
        Map<String, String[]> headers = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String raw : save.split("\n")) {
            String[] f = fields(raw);
            if (f.length < 2 || !Names.isWeirSet(f[1])) {
                continue;
            }
            if (f[0].equals("create") && f.length >= 3) {
                String family = "inet";
                for (int i = 3; i + 1 < f.length; i++) {
                    if (f[i].equals("family")) {
                        family = f[i + 1];
                    }
                }
                headers.put(f[1], new String[] {f[2], family});
                members.putIfAbsent(f[1], new ArrayList<>());
            } else if (f[0].equals("add") && f.length >= 3) {
                members.computeIfAbsent(f[1], k -> new ArrayList<>())
                        .add(f.length == 3 ? f[2] : String.join(" ", List.of(f).subList(2, f.length)));
            }
        }
        Map<String, InstalledSet> out = new LinkedHashMap<>();
        headers.forEach((name, h) -> out.put(name, new InstalledSet(name, h[0], h[1], members.get(name))));
        return out;
    }

    /** Parses {@code ipset list -n}: weir sets, names only. */
    static Map<String, InstalledSet> parseNames(String list) {
        Map<String, InstalledSet> out = new LinkedHashMap<>();
        for (String raw : list.split("\n")) {
            String name = raw.strip();
            if (Names.isWeirSet(name)) {
                out.put(name, nameOnly(name));
            }
        }
        return out;
    }

    private static String[] fields(String line) {
        String t = line.strip();
        return t.indexOf("  ") < 0 && t.indexOf('\t') < 0 ? t.split(" ") : t.split("\\s+");
    }

    /**
     * A spec's members in normal form. They are sorted and distinct already ({@link IpSetSpec}), so when none needs
     * rewriting they are the answer as they are, which spares a drift check one sort of every wanted member.
     */
    private static List<String> wanted(IpSetSpec spec, String family) {
        return spec.members().stream().allMatch(InstalledSet::plain) ? spec.members() : normalise(spec.members(), family);
    }

    private static List<String> normalise(List<String> members, String family) {
        String full = "inet6".equals(family) ? "/128" : "/32";
        return members.stream().map(m -> {
            if (plain(m)) {
                return m;
            }
            String s = String.join(" ", fields(m.toLowerCase(Locale.ROOT)));
            int sp = s.indexOf(' ');
            String addr = sp < 0 ? s : s.substring(0, sp);
            String rest = sp < 0 ? "" : s.substring(sp);
            int comma = addr.indexOf(',');
            String ip = comma < 0 ? addr : addr.substring(0, comma);
            String port = comma < 0 ? "" : addr.substring(comma);
            if (ip.endsWith(full)) {
                ip = ip.substring(0, ip.length() - full.length());
            }
            return ip + port + rest;
        }).distinct().sorted().toList();
    }

    /**
     * A member that is already in normal form: no prefix length, option, blank or capital (what {@code ipset save}
     * prints for nearly every member of a hash:ip set), kept as it is instead of split and joined again: a drift check
     * normalises every member of every weir set.
     */
    private static boolean plain(String m) {
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c == '/' || c == ' ' || c == '\t' || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return !m.isEmpty();
    }
}
