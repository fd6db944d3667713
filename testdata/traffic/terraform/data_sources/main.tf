terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
  }
}


# The start of Alibaba's official modules: a zone that sells vSwitches, a type
# of 2 vCPU and 4 GiB in it, and the newest system image of a distribution.
data "alicloud_zones" "default" {
  available_resource_creation = "VSwitch"
}

data "alicloud_instance_types" "default" {
  availability_zone = data.alicloud_zones.default.zones[0].id
  cpu_core_count    = 2
  memory_size       = 4
}

data "alicloud_images" "ubuntu" {
  name_regex  = "^ubuntu_22_04_x64"
  owners      = "system"
  most_recent = true
}

# The other usual forms: zones that sell an instance type with an ESSD
# system disk, a type family with its ESSD filter, Alibaba Cloud Linux.
data "alicloud_zones" "instance" {
  available_resource_creation = "Instance"
  available_disk_category     = "cloud_essd"
  available_instance_type     = data.alicloud_instance_types.default.instance_types[0].id
}

data "alicloud_instance_types" "g7" {
  availability_zone    = data.alicloud_zones.default.zones[0].id
  instance_type_family = "ecs.g7"
  system_disk_category = "cloud_essd"
  sorted_by            = "Memory"
}

data "alicloud_images" "aliyun" {
  name_regex  = "^aliyun_3_x64"
  owners      = "system"
  most_recent = true
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc-ds"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw-ds"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = data.alicloud_zones.default.zones[0].id
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_instance" "main" {
  instance_name        = "tf-ds-host"
  image_id             = data.alicloud_images.ubuntu.images[0].id
  instance_type        = data.alicloud_instance_types.default.instance_types[0].id
  availability_zone    = data.alicloud_zones.default.zones[0].id
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

resource "alicloud_instance" "aliyun" {
  instance_name        = "tf-ds-aliyun"
  image_id             = data.alicloud_images.aliyun.images[0].id
  instance_type        = data.alicloud_instance_types.g7.instance_types[0].id
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

output "instance_zones" {
  value = data.alicloud_zones.instance.ids
}

output "g7_type" {
  value = data.alicloud_instance_types.g7.instance_types[0].id
}

output "aliyun_image" {
  value = data.alicloud_images.aliyun.images[0].id
}

output "zone" {
  value = data.alicloud_zones.default.zones[0].id
}

output "instance_type" {
  value = data.alicloud_instance_types.default.instance_types[0].id
}

output "image" {
  value = data.alicloud_images.ubuntu.images[0].id
}
