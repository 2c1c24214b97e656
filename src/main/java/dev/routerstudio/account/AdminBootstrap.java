package dev.routerstudio.account;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Makes sure someone can log in: the first admin, before the studio takes requests. */
@Component
class AdminBootstrap implements ApplicationRunner {

    private final AccountService accounts;
    private final String adminPassword;

    AdminBootstrap(AccountService accounts, @Value("${studio.admin-password:}") String adminPassword) {
        this.accounts = accounts;
        this.adminPassword = adminPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        accounts.ensureAdmin(adminPassword);
    }
}
