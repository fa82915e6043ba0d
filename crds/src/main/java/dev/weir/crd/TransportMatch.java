package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * The body of {@code tcp}, {@code udp} and {@code sctp} (upstream has three identical types). It may not be empty
 * ({@code tcp: {}}): {@code destinationPort} is its only property today, so it is required in effect.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TransportMatch {

    @Size(min = 1, max = 1) // exactly one of number or range
    @JsonPropertyDescription("The destination port or port range.")
    private Port destinationPort;

    public Port getDestinationPort() {
        return destinationPort;
    }

    public void setDestinationPort(Port destinationPort) {
        this.destinationPort = destinationPort;
    }
}
