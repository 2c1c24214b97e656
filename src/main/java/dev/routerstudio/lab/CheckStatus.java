package dev.routerstudio.lab;

public enum CheckStatus { PENDING, RUNNING, PASSED, FAILED, SKIPPED }
