"""API v2 fields of a material: topics, audiences and tracked file URLs."""

from rest_framework import serializers


class NamesField(serializers.Field):
    """Topics or audiences: slug and both names."""

    def to_representation(self, value):
        return [
            {"slug": item.slug, "name_lo": item.name_lo, "name_en": item.name_en}
            for item in value.all()
        ]


class FilesField(serializers.Field):
    """A material's files with their tracked download URLs."""

    def to_representation(self, value):
        request = self.context.get("request")
        files = []
        for material_file in value.select_related("document"):
            url = material_file.url
            files.append(
                {
                    "label": material_file.display_label,
                    "language": material_file.language,
                    "type": material_file.file_type,
                    "content_type": material_file.content_type,
                    "size": material_file.size,
                    "url": request.build_absolute_uri(url) if request else url,
                }
            )
        return files
