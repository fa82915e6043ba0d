package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** One of a rule's {@code protocols}: exactly one of tcp, udp, sctp or destinationNamedPort. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "[has(self.tcp), has(self.udp), has(self.sctp), has(self.destinationNamedPort)]"
        + ".exists_one(x, x)",
        message = "exactly one of tcp, udp, sctp or destinationNamedPort must be set")
public class ProtocolMatch {

    @JsonPropertyDescription("TCP traffic, optionally to one destination port or range.")
    private TransportMatch tcp;

    @JsonPropertyDescription("UDP traffic, optionally to one destination port or range.")
    private TransportMatch udp;

    @JsonPropertyDescription("SCTP traffic, optionally to one destination port or range.")
    private TransportMatch sctp;

    @JsonPropertyDescription("A container port name of the destination pod, whatever its protocol.")
    private String destinationNamedPort;

    public TransportMatch getTcp() {
        return tcp;
    }

    public void setTcp(TransportMatch tcp) {
        this.tcp = tcp;
    }

    public TransportMatch getUdp() {
        return udp;
    }

    public void setUdp(TransportMatch udp) {
        this.udp = udp;
    }

    public TransportMatch getSctp() {
        return sctp;
    }

    public void setSctp(TransportMatch sctp) {
        this.sctp = sctp;
    }

    public String getDestinationNamedPort() {
        return destinationNamedPort;
    }

    public void setDestinationNamedPort(String destinationNamedPort) {
        this.destinationNamedPort = destinationNamedPort;
    }
}
