"""What the customs commands print about an upload: status, attempts, the customs reply, the error."""


def upload_lines(upload):
    lines = [f"上传状态：{upload.get_status_display()}（已尝试 {upload.attempts} 次）"]
    if upload.reply_code:
        lines.append(f"海关应答：{upload.reply_code} {upload.reply_message}")
    if upload.last_error:
        lines.append(f"错误：{upload.last_error}")
    return lines
