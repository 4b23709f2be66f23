"""Documents that several adapters render or read: card and poster images, QR codes,
spreadsheets, charts and the report streams (CSV, JSON, XLSX), and the spreadsheets
people upload. The staff API, the officers' API, the admin and the CLI all use these;
none of them imports another adapter."""
