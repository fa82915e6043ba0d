package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

/**
 * One of a rule's {@code protocols}: exactly one of tcp, udp, sctp or destinationNamedPort, and tcp, udp or sctp not
 * empty ({@code tcp: {}}). The second is patched here rather than by {@code @Size(min = 1)} on each field: the three
 * share one type, which the generator describes in full once and by reference twice, and a reference gets no
 * property counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = SchemaPatches.EXACTLY_ONE_FIELD)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"tcp": {"minProperties": 1}, "udp": {"minProperties": 1}, "sctp": {"minProperties": 1}}}""")
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
