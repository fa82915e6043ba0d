package dev.weir.iptables.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Client probes of an {@link EchoServers} server ("pong"), sent from the calling thread's network namespace (call
 * them inside {@code NetworkNamespace.call}). A DROP shows as a timeout; a REJECT (which weir never writes) or a
 * closed port as a refusal.
 */
final class Probes {

    enum Outcome { ANSWERED, TIMED_OUT, REFUSED, OTHER }

    private Probes() {
    }

    /** One TCP connect and read. */
    static Outcome tcp(String address, int port, int connectTimeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), connectTimeoutMs);
            s.setSoTimeout(2000);
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return "pong".equals(line) ? Outcome.ANSWERED : Outcome.OTHER;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMED_OUT;
        } catch (ConnectException e) {
            return Outcome.REFUSED;
        } catch (IOException e) {
            return Outcome.OTHER;
        }
    }

    /** One UDP datagram and its answer; false when none comes within {@code timeoutMs}. */
    static boolean udp(String address, int port, int timeoutMs) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(timeoutMs);
            byte[] ping = "ping\n".getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(ping, ping.length, InetAddress.getByName(address), port));
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            s.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8).strip().equals("pong");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
