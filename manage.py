#!/usr/bin/env python
import sys

if __name__ == "__main__":
    from config.environment import COMMAND_LINE_SETTINGS, use_settings

    use_settings(COMMAND_LINE_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
