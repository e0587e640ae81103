"""Run the page on loopback and drive it in Chromium: shared by the browser tests and the benchmark.

``chromium``          Debian's Chromium, its quiet flags, and launching it through Playwright.
``loopback``          free ports, a proxy-free opener, health polling and stopping a process.
``streamlit_server``  a real ``streamlit run`` of a page, started once it answers its health check.
``nginx``             Debian's nginx running the shipped deploy/nginx/corridors.conf.
``page``              the page's selectors, and waits for the script to finish and the map to draw.
``containers``        the image and compose with Debian's podman, and stand-in base images.

Nothing here knows about pytest: a server that does not start raises ``DidNotStart`` with its
output, and the tests' fixtures turn that into a test failure.
"""
