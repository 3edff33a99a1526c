"""The syslog listener: configuration-change messages in, a backup of that device out."""
