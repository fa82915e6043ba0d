package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The body of {@code tcp}, {@code udp} and {@code sctp} (upstream has three identical types). Upstream requires at
 * least one property; {@code destinationPort} is the only one today.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TransportMatch {

    @JsonPropertyDescription("The destination port or port range.")
    private Port destinationPort;

    public Port getDestinationPort() {
        return destinationPort;
    }

    public void setDestinationPort(Port destinationPort) {
        this.destinationPort = destinationPort;
    }
}
