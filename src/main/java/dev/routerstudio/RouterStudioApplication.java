package dev.routerstudio;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class RouterStudioApplication {

    public static void main(String[] args) {
        SpringApplication.run(RouterStudioApplication.class, args);
    }
}
