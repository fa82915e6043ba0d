package dev.weir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.0.0.1, 10.0.0.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "2001:DB8::1, 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "fd00:0:0:1:0:0:0:1, fd00:0:0:1::1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "::ffff:10.0.0.1, ::ffff:a00:1",
            "fe80::, fe80::"})
    void parsesToCanonicalText(String text, String canonical) {
        assertThat(IpAddress.parse(text)).hasToString(canonical);
        assertThat(IpAddress.parse(canonical)).isEqualTo(IpAddress.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "10.0.0.01", "10.0.0.1.2", "a.b.c.d", "1::2::3",
            "1:2:3:4:5:6:7:8:9", "12345::", "fd00::g", "10.0.0.1/32", " :: :"})
    void invalidTextIsRejectedWithAMessageNamingIt(String text) {
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
        assertThat(IpAddress.isValid(text)).isFalse();
    }

    @Test
    void familiesOrderV4BeforeV6ThenNumerically() {
        assertThat(IpAddress.parse("10.0.0.2")).isGreaterThan(IpAddress.parse("10.0.0.1"));
        assertThat(IpAddress.parse("255.255.255.255")).isLessThan(IpAddress.parse("::"));
        assertThat(IpAddress.parse("8000::")).isGreaterThan(IpAddress.parse("7fff::"));
    }

    @Test
    void plusCarriesIntoTheHighHalfOfAnIpv6Address() {
        assertThat(IpAddress.parse("::ffff:ffff:ffff:ffff").plus(1)).hasToString("0:0:0:1::");
        assertThat(IpAddress.parse("10.0.0.255").plus(1)).hasToString("10.0.1.0");
    }
}
