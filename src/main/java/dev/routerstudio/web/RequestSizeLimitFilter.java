package dev.routerstudio.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Caps request bodies (studio.max-request-size, default 4 MB: a profile holds at most 32 files of
 * 64 KiB). A declared length over the cap is refused at once with 413; a chunked body is cut
 * off when it passes the cap. The exceptions are the firmware upload (POST /api/v1/labs), capped
 * at studio.labs.max-upload-size, and a peer VM's upload (POST /api/v1/peers), at studio.peers.max-size. The container parses multipart bodies itself (to files under the
 * data dir), past the stream cap, so elsewhere the parts' total size is checked against the cap
 * before any controller reads them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    static final String UPLOAD_PATH = "/api/v1/labs";
    /** The same upload from the labs page. */
    static final String PAGE_UPLOAD_PATH = "/labs/upload";
    /** A peer VM's image, from the API and from the peers page. */
    static final String PEER_PATH = "/api/v1/peers";
    static final String PEER_PAGE_PATH = "/peers";

    private final long defaultMax;
    private final long uploadMax;
    private final long peerMax;

    public RequestSizeLimitFilter(@Value("${studio.max-request-size:4MB}") DataSize max,
                                  @Value("${studio.labs.max-upload-size:256MB}") DataSize maxUpload,
                                  @Value("${studio.peers.max-size:2GB}") DataSize maxPeer) {
        this.defaultMax = max.toBytes();
        this.uploadMax = maxUpload.toBytes();
        this.peerMax = maxPeer.toBytes();
    }

    /** What a capped body throws once it grows past the cap. */
    public static class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("the request body is larger than " + max + " bytes");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean upload = "POST".equals(request.getMethod())
                && (UPLOAD_PATH.equals(request.getRequestURI()) || PAGE_UPLOAD_PATH.equals(request.getRequestURI()));
        boolean peer = "POST".equals(request.getMethod())
                && (PEER_PATH.equals(request.getRequestURI()) || PEER_PAGE_PATH.equals(request.getRequestURI()));
        long max = upload ? uploadMax : peer ? peerMax : defaultMax;
        String setting = upload ? "studio.labs.max-upload-size" : peer ? "studio.peers.max-size" : "studio.max-request-size";
        if (request.getContentLengthLong() > max) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType("application/problem+json");
            response.getOutputStream().write(("{\"title\":\"Request too large\",\"status\":413,\"detail\":\"The body is "
                    + request.getContentLengthLong() + " bytes; the limit is " + max + " (" + setting + ").\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }

        chain.doFilter(new HttpServletRequestWrapper(request) {
            private ServletInputStream capped;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (capped == null) {
                    capped = new Capped(super.getInputStream(), max);
                }
                return capped;
            }

            /** Spring turns this message ("request … larger") into its 413 for uploads that are too large. */
            @Override
            public Collection<Part> getParts() throws IOException, ServletException {
                Collection<Part> parts = super.getParts();
                long total = 0;
                for (Part p : parts) {
                    total += p.getSize();
                }
                if (total > max) {
                    throw new TooLargeException(max);
                }
                return parts;
            }
        }, response);
    }

    private static final class Capped extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        Capped(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        private int count(int n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new TooLargeException(max);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
