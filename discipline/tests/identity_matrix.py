"""Matrix entries of the identity pages (issue 23): the holder's password page, backup codes and the
security administrator's second-factor reset."""


def identity_matrix(only, everyone, anon) -> dict:
    return {
        # Any signed-in account changes its own password.
        "password_change": ("get", None, {**everyone(200), **anon}),
        # Backup codes follow a second factor: without one (nobody in the matrix has one) the page
        # sends the holder to set it up.
        "second_factor_backup_codes": ("get", None, {**everyone(302), **anon}),
        # The reset is the 安全保密管理员's alone (三员分立).
        "second_factor_reset": ("get", None, only(200, "security_admin")),
    }
