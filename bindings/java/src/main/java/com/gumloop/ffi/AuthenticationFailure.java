package com.gumloop.ffi;

/**
 * Marks the exceptions that mean the caller is not authenticated: {@link AuthenticationException}
 * (no credential, nothing sent) and {@link UnauthorizedException} (HTTP 401). Java has one
 * superclass per class, so the 401 stays an {@link APIStatusException} and both share this type:
 * {@code catch (GumloopException e) { if (e instanceof AuthenticationFailure) ... }}.
 */
public interface AuthenticationFailure {}
