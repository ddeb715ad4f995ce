from setuptools import find_packages, setup

setup(
    name="tfencgan",
    version="0.1.0",
    description="Generative models with encoders (BiGAN, ALI, AGE, ...) in TensorFlow 2 / Keras 3",
    long_description=open("README.md").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    license="Apache-2.0",
    classifiers=[
        "Development Status :: 4 - Beta",
        "Intended Audience :: Science/Research",
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ],
    packages=find_packages(include=["tfencgan", "tfencgan.*", "pipelines", "tuning"]),
    package_data={"tfencgan": ["data/*.npz", "metrics/*.weights.h5"]},
    # Bounded to the versions tested (BUILD_NOTES.md) up to the next release that could break:
    # TF/Keras minor releases change XLA, SavedModel and Keras-internal behaviour.
    install_requires=[
        "tensorflow>=2.16,<2.22",
        "keras>=3.10,<3.16",
        "tensorflow-datasets>=4.9,<4.10",
        "importlib_resources",       # needed by tensorflow-datasets, undeclared on Python >= 3.9
        "tensorflow-gan>=2.1,<2.2",
        "tensorflow-probability>=0.24,<0.26",   # imported by tensorflow-gan's eval code
        "tf-keras>=2.16,<2.22",      # needed by tensorflow-probability with Keras 3
        "tensorflow-hub>=0.16,<0.17",          # SavedModel / TF-Hub Inception classifiers
        "keras-tuner>=1.4,<1.5",
        "tensorboard>=2.16,<2.22",
        "absl-py>=2.0,<3",
        "ml-collections>=0.1.1,<2",
        "numpy>=1.26,<3",
        "scipy>=1.11,<2",
        "pillow>=10,<14",
    ],
    extras_require={"test": ["pytest"]},
    entry_points={"console_scripts": [
        "tfencgan-train=pipelines.train:console_main",
        "tfencgan-evaluate=pipelines.evaluate:console_main",
        "tfencgan-train-classifier=pipelines.train_classifier:console_main",
        "tfencgan-export=pipelines.export:console_main",
        "tfencgan-configs=pipelines.configs:console_main",
        "tfencgan-search=tuning.search:console_main",
    ]},
)
