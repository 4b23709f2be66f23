"""Piccolo Admin for the justice bureau (zh-CN), mounted at /admin.

Its Piccolo tables will mirror the tables that the Tortoise migrations own; the login
uses the `accounts` table, whose columns are those of Piccolo's BaseUser, and the
`admin_sessions` table for sessions. Nothing here may create or alter a table.
"""
