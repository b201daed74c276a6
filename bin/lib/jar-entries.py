"""Lists jar entries, or finds class names inside class files, with Python alone (no unzip needed).

    python jar-entries.py list JAR...                 every entry of every jar, one a line
    python jar-entries.py names JAR REGEX             every match of REGEX in the jar's .class files

`names` searches the raw bytes of each class, where the constant pool holds the internal names
(com/example/Foo) of every class the class refers to.
"""

import re
import sys
import zipfile


def list_entries(jars):
    for jar in jars:
        with zipfile.ZipFile(jar) as archive:
            for name in archive.namelist():
                print(name)


def class_names(jar, regex):
    pattern = re.compile(regex.encode())
    found = set()
    with zipfile.ZipFile(jar) as archive:
        for name in archive.namelist():
            if name.endswith(".class"):
                found.update(m.group(0).decode() for m in pattern.finditer(archive.read(name)))
    for name in sorted(found):
        print(name)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "list":
        list_entries(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "names":
        class_names(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
