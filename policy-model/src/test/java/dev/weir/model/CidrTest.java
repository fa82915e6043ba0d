package dev.weir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1.2.3/8, 10.0.0.0/8",
            "10.0.0.0/8, 10.0.0.0/8",
            "192.168.1.129/25, 192.168.1.128/25",
            "10.0.0.1, 10.0.0.1/32",
            "1.2.3.4/0, 0.0.0.0/0",
            "2001:db8::1/32, 2001:db8::/32",
            "2001:DB8:1:2:3:4:5:6/64, 2001:db8:1:2::/64",
            "fd00::1, fd00::1/128",
            "::1/0, ::/0"})
    void hostBitsAreMaskedAtConstruction(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
        assertThat(Cidr.parse(text)).isEqualTo(Cidr.parse(canonical));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0/8", "fd00::/129", "10.0.0.0/8/8",
            "10.0.0.0/ 8", "x/8"})
    void invalidTextIsRejectedWithAMessageNamingIt(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void halvesOfV4SlashZeroAreTheTwoSlashOnes() {
        assertThat(Cidr.parse("0.0.0.0/0").halves()).extracting(Object::toString)
                .containsExactly("0.0.0.0/1", "128.0.0.0/1");
    }

    @Test
    void halvesOfV6SlashZeroAreTheTwoSlashOnes() {
        assertThat(Cidr.parse("::/0").halves()).extracting(Object::toString).containsExactly("::/1", "8000::/1");
    }

    @Test
    void halvesInTheLowHalfOfAnIpv6Address() {
        assertThat(Cidr.parse("fd00::/64").halves()).extracting(Object::toString)
                .containsExactly("fd00::/65", "fd00::8000:0:0:0/65");
    }

    @Test
    void hostRouteHasNoHalves() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/32").halves()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void containsIsFamilyAware() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.1.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.1.0.0/16").contains(Cidr.parse("10.0.0.0/8"))).isFalse();
    }

    @Test
    void exceptMustLieStrictlyInsideTheCidrAndInItsFamily() {
        assertThatThrownBy(() -> new Peer.IpBlock(Cidr.parse("10.0.0.0/16"),
                java.util.List.of(Cidr.parse("10.0.0.0/16")))).hasMessageContaining("strictly within");
        assertThatThrownBy(() -> new Peer.IpBlock(Cidr.parse("10.0.0.0/16"),
                java.util.List.of(Cidr.parse("fd00::/64")))).hasMessageContaining("same IP family");
    }
}
