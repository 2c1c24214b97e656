package dev.routerstudio.lab.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** An uploaded firmware.tar that cannot boot: 400 problem+json with the reason (Spring renders it). */
public class BundleRejectedException extends ErrorResponseException {

    public BundleRejectedException(String reason) {
        super(HttpStatus.BAD_REQUEST, problem(reason), null);
    }

    private static ProblemDetail problem(String reason) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
        p.setTitle("Firmware bundle refused");
        p.setType(URI.create("/problems/bad-firmware-bundle"));
        return p;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
