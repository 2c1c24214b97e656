package dev.routerstudio.profile;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a setting of a WAN mode (or service) appears in the profile form. The form renders every
 * mode's fields from these, so a new mode needs no markup of its own.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface FormField {

    String label();

    /** text, password (write-only), number, or list (space-separated words). */
    String kind() default "text";

    String hint() default "";

    String placeholder() default "";

    /** Shown under "Advanced settings", folded away by default. */
    boolean advanced() default false;

    boolean required() default false;

    int min() default 0;

    int max() default 0;

    int maxLength() default 0;

    /** An HTML pattern the browser checks before sending; the server's rules stay the truth. */
    String pattern() default "";
}
