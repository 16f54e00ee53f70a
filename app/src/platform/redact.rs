//! Connection URLs (database, SMTP) carry passwords; this is the one way to print them.

/// The URL with any password replaced by `***`, safe to print and log. The user name,
/// host, port, path and query stay, so an operator can still see where it points.
///
/// Errs on the side of hiding: a password with an unencoded `/`, `?` or `@` (which a URL
/// parser would misread anyway) is still masked whole.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // The user info ends at the authority's last `@`; if the authority has none, an
    // unencoded `/` or `?` in a password may have cut it short, so take the last `@` of all.
    let at = rest[..authority_end].rfind('@').or_else(|| rest.rfind('@'));
    let Some(at) = at else {
        return url.to_string();
    };
    let (userinfo, host) = (&rest[..at], &rest[at + 1..]);
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact_url("postgres://agora:s3cret@db.example:5432/agora?sslmode=require"),
            "postgres://agora:***@db.example:5432/agora?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(
            redact_url("sqlite://data/agora.db?mode=rwc"),
            "sqlite://data/agora.db?mode=rwc"
        );
        assert_eq!(redact_url("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn redacts_smtp_urls() {
        assert_eq!(
            redact_url("smtp://mailer:hunter2@smtp.example:587?tls=required"),
            "smtp://mailer:***@smtp.example:587?tls=required"
        );
        assert_eq!(
            redact_url("smtps://a%40b.example:p%2Fw@smtp.example"),
            "smtps://a%40b.example:***@smtp.example"
        );
        assert_eq!(redact_url("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn hides_passwords_that_break_the_url() {
        for url in [
            "smtp://u:pa/ss@h:587",
            "smtp://u:pa?ss@h:587",
            "smtp://u:pa#ss@h:587",
        ] {
            let shown = redact_url(url);
            assert!(!shown.contains("pa") && !shown.contains("ss"), "{url} -> {shown}");
            assert!(shown.starts_with(url.split("://").next().unwrap()), "{shown}");
        }
        // An `@` in the query does not hide the host.
        assert_eq!(
            redact_url("postgres://u:p@h/db?application_name=a@b"),
            "postgres://u:***@h/db?application_name=a@b"
        );
    }
}
