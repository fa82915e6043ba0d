package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** {@code destinationPort}: exactly one of {@code number} or {@code range}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Port {

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("One port, 1-65535.")
    private Integer number;

    @JsonPropertyDescription("An inclusive range of ports.")
    private PortRange range;

    public Integer getNumber() {
        return number;
    }

    public void setNumber(Integer number) {
        this.number = number;
    }

    public PortRange getRange() {
        return range;
    }

    public void setRange(PortRange range) {
        this.range = range;
    }
}
